# One role per function, each allowed only what its stage does: read its input prefix,
# write its output prefix, its own queue, its own log group, the OpenSearch domain and
# (for embedding and answering) the Bedrock models it calls.

locals {
  bucket_arn = aws_s3_bucket.documents.arn

  embedding_model_arn = "arn:${local.partition}:bedrock:${local.region}::foundation-model/${var.embedding_model_id}"

  # A cross-region inference profile ("us.", "eu.", ...) routes to the base model in several
  # regions, so the role needs the profile and the base model in any region.
  answer_model_is_profile = can(regex("^(us|us-gov|eu|apac|jp|au|ca|global)\\.", var.answer_model_id))
  answer_base_model_id    = replace(var.answer_model_id, "/^(us|us-gov|eu|apac|jp|au|ca|global)\\./", "")
  answer_model_arns = var.answer_provider != "bedrock" ? [] : (
    local.answer_model_is_profile ? [
      "arn:${local.partition}:bedrock:${local.region}:${local.account_id}:inference-profile/${var.answer_model_id}",
      "arn:${local.partition}:bedrock:*::foundation-model/${local.answer_base_model_id}",
      ] : [
      "arn:${local.partition}:bedrock:${local.region}::foundation-model/${var.answer_model_id}",
    ]
  )

  function_policies = {
    extract = data.aws_iam_policy_document.extract.json
    chunk   = data.aws_iam_policy_document.chunk.json
    embed   = data.aws_iam_policy_document.embed.json
    index   = data.aws_iam_policy_document.index.json
    query   = data.aws_iam_policy_document.query.json
  }
}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each = local.functions

  name_prefix        = "${var.name}-${each.key}-"
  description        = "Runs the Quarry ${each.key} function."
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
  tags               = var.tags
}

# Elastic network interfaces for running in the VPC. Their EC2 actions do not support
# resource-level permissions, which is why the AWS managed policy grants them on "*".
resource "aws_iam_role_policy_attachment" "vpc_access" {
  for_each = local.functions

  role       = aws_iam_role.function[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions

  name   = "${var.name}-${each.key}"
  role   = aws_iam_role.function[each.key].id
  policy = local.function_policies[each.key]

  lifecycle {
    precondition {
      condition     = contains(keys(local.function_policies), each.key)
      error_message = "Function ${each.key} from pipeline.json has no policy in function_policies (iam.tf)."
    }
  }
}

# What every function needs besides its stage's own grants.
data "aws_iam_policy_document" "runtime" {
  for_each = local.functions

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  statement {
    sid       = "UseOpenSearchDomain"
    actions   = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut", "es:ESHttpDelete"]
    resources = [aws_opensearch_domain.this.arn, "${aws_opensearch_domain.this.arn}/*"]
  }

  # The SQS event source mapping polls with the function's role; only its own queue.
  dynamic "statement" {
    for_each = contains(keys(local.stages), each.key) ? [aws_sqs_queue.stage[each.key].arn] : []

    content {
      sid       = "ConsumeOwnQueue"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]

    content {
      sid       = "UseBucketKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "extract" {
  source_policy_documents = [data.aws_iam_policy_document.runtime["extract"].json]

  statement {
    sid     = "ReadDocumentsAndPageRanges"
    actions = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = [
      "${local.bucket_arn}/documents/*",
      "${local.bucket_arn}/work/ranges/*",
    ]
  }

  statement {
    sid     = "WritePageRangesAndExtractedText"
    actions = ["s3:PutObject"]
    resources = [
      "${local.bucket_arn}/work/ranges/*",
      "${local.bucket_arn}/work/extracted/*",
    ]
  }

  # Without s3:ListBucket on the bucket, S3 answers 403 for a missing key instead of 404, and the stage
  # cannot tell a document deleted mid-pipeline (skip it) from a permission error (fail it).
  statement {
    sid       = "TellMissingObjectsFromForbidden"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }
}

data "aws_iam_policy_document" "chunk" {
  source_policy_documents = [data.aws_iam_policy_document.runtime["chunk"].json]

  statement {
    sid       = "ReadExtractedText"
    actions   = ["s3:GetObject"]
    resources = ["${local.bucket_arn}/work/extracted/*"]
  }

  statement {
    sid       = "WriteChunks"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/work/chunks/*"]
  }

  # Without s3:ListBucket on the bucket, S3 answers 403 for a missing key instead of 404, and the stage
  # cannot tell a document deleted mid-pipeline (skip it) from a permission error (fail it).
  statement {
    sid       = "TellMissingObjectsFromForbidden"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }
}

data "aws_iam_policy_document" "embed" {
  source_policy_documents = [data.aws_iam_policy_document.runtime["embed"].json]

  statement {
    sid       = "ReadChunks"
    actions   = ["s3:GetObject"]
    resources = ["${local.bucket_arn}/work/chunks/*"]
  }

  statement {
    sid       = "WriteEmbeddings"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/work/embedded/*"]
  }

  statement {
    sid       = "EmbedWithBedrock"
    actions   = ["bedrock:InvokeModel"]
    resources = [local.embedding_model_arn]
  }

  # Without s3:ListBucket on the bucket, S3 answers 403 for a missing key instead of 404, and the stage
  # cannot tell a document deleted mid-pipeline (skip it) from a permission error (fail it).
  statement {
    sid       = "TellMissingObjectsFromForbidden"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }
}

data "aws_iam_policy_document" "index" {
  source_policy_documents = [data.aws_iam_policy_document.runtime["index"].json]

  statement {
    sid     = "ReadChunksAndEmbeddings"
    actions = ["s3:GetObject"]
    resources = [
      "${local.bucket_arn}/work/chunks/*",
      "${local.bucket_arn}/work/embedded/*",
    ]
  }

  # Removing a document (or a replaced version) removes its work files.
  statement {
    sid       = "DeleteWorkFiles"
    actions   = ["s3:DeleteObject"]
    resources = ["${local.bucket_arn}/work/*"]
  }

  # Without s3:ListBucket on the bucket, S3 answers 403 for a missing key instead of 404, and the stage
  # cannot tell a document deleted mid-pipeline (skip it) from a permission error (fail it).
  statement {
    sid       = "TellMissingObjectsFromForbidden"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }
}

data "aws_iam_policy_document" "query" {
  source_policy_documents = [data.aws_iam_policy_document.runtime["query"].json]

  # Presigned uploads are signed with this role, so it needs PutObject itself;
  # deleting a document deletes its PDF and the pipeline removes the rest.
  statement {
    sid       = "ManageDocuments"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.bucket_arn}/documents/*"]
  }

  statement {
    sid       = "EmbedQuestionsWithBedrock"
    actions   = ["bedrock:InvokeModel"]
    resources = [local.embedding_model_arn]
  }

  dynamic "statement" {
    for_each = length(local.answer_model_arns) > 0 ? [local.answer_model_arns] : []

    content {
      sid       = "AnswerWithBedrock"
      actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
      resources = statement.value
    }
  }

  # Only the one secret, and only when there is one. The key reaches the function through its
  # environment today (lambda.tf); this grant is what reading it at run time, e.g. to follow a
  # rotation without a deployment, needs.
  dynamic "statement" {
    for_each = var.answer_api_key_secret_arn == null ? [] : [var.answer_api_key_secret_arn]

    content {
      sid       = "ReadAnswerApiKey"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }
}
