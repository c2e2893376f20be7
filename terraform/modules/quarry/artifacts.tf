# Function code goes to S3 first and Lambda takes it from there. A direct upload (filename)
# is limited to 50 MB zipped; the AWS build's zips are 31-49 MB (README, "Deploy"), close enough
# to that limit that one more dependency would break a direct upload. From S3 the limit that
# counts is 250 MB unzipped for the code plus its layers.

locals {
  create_artifacts_bucket = var.artifacts_bucket == null
  artifacts_bucket        = local.create_artifacts_bucket ? aws_s3_bucket.artifacts[0].id : var.artifacts_bucket

  # The zip the AWS build (-Paws) writes for each function: JVM or native, never the local build's.
  function_zips = { for name, function in local.functions : name => format("%s/%s/target/aws/function.zip", local.artifacts_dir, name) }
}

resource "aws_s3_bucket" "artifacts" {
  count = local.create_artifacts_bucket ? 1 : 0

  bucket_prefix = "${var.name}-artifacts-"
  # It holds build output only, reproducible from the sources; destroying the module removes it.
  force_destroy = true
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  count  = local.create_artifacts_bucket ? 1 : 0
  bucket = aws_s3_bucket.artifacts[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  count                   = local.create_artifacts_bucket ? 1 : 0
  bucket                  = aws_s3_bucket.artifacts[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Each upload gets a version id, which the function pins (s3_object_version).
resource "aws_s3_bucket_versioning" "artifacts" {
  count  = local.create_artifacts_bucket ? 1 : 0
  bucket = aws_s3_bucket.artifacts[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  count  = local.create_artifacts_bucket ? 1 : 0
  bucket = aws_s3_bucket.artifacts[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

# Lambda copies the code when a function is created or updated, so replaced zips are only
# kept for a manual rollback.
resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  count  = local.create_artifacts_bucket ? 1 : 0
  bucket = aws_s3_bucket.artifacts[0].id

  rule {
    id     = "expire-replaced-builds"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.artifacts]
}

data "aws_iam_policy_document" "artifacts" {
  count = local.create_artifacts_bucket ? 1 : 0

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.artifacts[0].arn,
      "${aws_s3_bucket.artifacts[0].arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "artifacts" {
  count  = local.create_artifacts_bucket ? 1 : 0
  bucket = aws_s3_bucket.artifacts[0].id
  policy = data.aws_iam_policy_document.artifacts[0].json

  # S3 refuses a bucket policy while the public access block is still being applied.
  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

resource "aws_s3_object" "function" {
  for_each = local.functions

  bucket = local.artifacts_bucket
  key    = "${var.name}/${each.key}/function.zip"
  source = local.function_zips[each.key]
  # Not etag: multipart uploads and SSE-KMS objects get an ETag that is not the MD5 of the file.
  source_hash = filemd5(local.function_zips[each.key])
  tags        = var.tags

  # The first upload must already get a version id.
  depends_on = [aws_s3_bucket_versioning.artifacts]
}
