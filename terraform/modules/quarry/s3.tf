# The documents bucket: tenants' PDFs under documents/, replayable stage artifacts under work/.

resource "aws_s3_bucket" "documents" {
  bucket        = var.bucket_name
  bucket_prefix = var.bucket_name == null ? "${var.name}-documents-" : null
  force_destroy = var.bucket_force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "documents" {
  bucket = aws_s3_bucket.documents.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "documents" {
  bucket                  = aws_s3_bucket.documents.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Versioning: an overwritten document keeps its old version until the new one is READY,
# and the S3 event's version id makes every derived id deterministic.
resource "aws_s3_bucket_versioning" "documents" {
  bucket = aws_s3_bucket.documents.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "documents" {
  bucket = aws_s3_bucket.documents.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "documents" {
  bucket = aws_s3_bucket.documents.id

  rule {
    id     = "expire-work-artifacts"
    status = "Enabled"

    filter {
      prefix = local.pipeline.bucketPrefixes.work
    }

    expiration {
      days = var.work_expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.documents]
}

# The web console (served by the API, so its origin is the API's) PUTs uploads to presigned URLs and
# GETs the cited PDF from one; nothing else may read the bucket from a browser. Other origins may only
# PUT (upload_cors_allowed_origins). The local stack sets the same console rule (LocalStack).
resource "aws_s3_bucket_cors_configuration" "documents" {
  bucket = aws_s3_bucket.documents.id

  cors_rule {
    id              = "console"
    allowed_methods = ["GET", "PUT"]
    allowed_origins = concat([aws_apigatewayv2_api.this.api_endpoint], var.console_origins)
    allowed_headers = ["content-type"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }

  dynamic "cors_rule" {
    for_each = length(var.upload_cors_allowed_origins) > 0 ? [var.upload_cors_allowed_origins] : []

    content {
      id              = "uploads"
      allowed_methods = ["PUT"]
      allowed_origins = cors_rule.value
      allowed_headers = ["*"]
      expose_headers  = ["ETag"]
      max_age_seconds = 3600
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.documents.arn,
      "${aws_s3_bucket.documents.arn}/*",
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

resource "aws_s3_bucket_policy" "documents" {
  bucket = aws_s3_bucket.documents.id
  policy = data.aws_iam_policy_document.bucket.json

  # S3 refuses a bucket policy while the public access block is still being applied.
  depends_on = [aws_s3_bucket_public_access_block.documents]
}

# One queue configuration per trigger in pipeline.json. S3 keeps a single notification
# configuration per bucket, so every trigger lives in this one resource.
resource "aws_s3_bucket_notification" "pipeline" {
  bucket = aws_s3_bucket.documents.id

  dynamic "queue" {
    for_each = { for trigger in local.triggers : trigger.id => trigger }

    content {
      id            = queue.key
      queue_arn     = aws_sqs_queue.stage[queue.value.function].arn
      events        = queue.value.events
      filter_prefix = queue.value.prefix
      filter_suffix = queue.value.suffix
    }
  }

  # S3 validates that it may send to every queue when the configuration is written.
  depends_on = [aws_sqs_queue_policy.stage]
}
