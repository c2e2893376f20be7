# One role per function, each allowed only what its stage does: read its input prefix,
# write its output prefix, its own queue, its own log group, the OpenSearch indices it uses
# with the HTTP verbs it sends, and (for embedding and answering) the Bedrock models it calls.

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

  # OpenSearch authorizes each request on "<domain arn>/<path>", the request path without its query
  # string. An index's ARN pair covers the index itself (HEAD /<index> to see whether it exists, PUT
  # /<index> to create it on first use) and every path below it (_doc/<id>, _create/<id>, _mapping,
  # _search, _count, _refresh, _delete_by_query). No function sends DELETE: removals are
  # POST /<index>/_delete_by_query.
  opensearch_domain_arn        = aws_opensearch_domain.this.arn
  opensearch_chunk_index_arns  = ["${local.opensearch_domain_arn}/${var.opensearch_chunk_index}", "${local.opensearch_domain_arn}/${var.opensearch_chunk_index}/*"]
  opensearch_status_index_arns = ["${local.opensearch_domain_arn}/${var.opensearch_status_index}", "${local.opensearch_domain_arn}/${var.opensearch_status_index}/*"]
  opensearch_queries_index_arns = [
    "${local.opensearch_domain_arn}/${var.opensearch_queries_index}", "${local.opensearch_domain_arn}/${var.opensearch_queries_index}/*",
  ]

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

  # Elastic network interfaces for running in the VPC: what the managed AWSLambdaVPCAccessExecutionRole
  # grants, without its logs:* on "*". These EC2 actions take no resource-level permissions.
  statement {
    sid = "ManageVpcNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
      "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"]
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

  # Backoff between deliveries: the function finds its queue from the record's eventSourceARN and hides a
  # failed message for a growing delay (SqsQueueVisibility); only its own queue.
  dynamic "statement" {
    for_each = contains(keys(local.stages), each.key) ? [aws_sqs_queue.stage[each.key].arn] : []

    content {
      sid       = "DelayRedeliveryOnOwnQueue"
      actions   = ["sqs:ChangeMessageVisibility", "sqs:GetQueueUrl"]
      resources = [statement.value]
    }
  }

  # The API ends a document whose upload never came through a message to the index stage's queue, held back
  # by SQS's message timer until the upload URL has expired (SqsUploadExpiry); only that queue.
  dynamic "statement" {
    for_each = each.key == "query" ? [aws_sqs_queue.stage["index"].arn] : []

    content {
      sid       = "ScheduleUploadExpiry"
      actions   = ["sqs:SendMessage"]
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

  # Its document's status record: HEAD and PUT /<index> create the index on first use, GET and PUT
  # /<index>/_mapping add fields, GET /<index>/_doc/<id> reads the record, PUT /<index>/_doc/<id> and
  # /<index>/_create/<id> write it.
  # POST /<index>/_delete_by_query forgets the part markers of an earlier run of the same bytes when an upload starts.
  statement {
    sid       = "ReadAndWriteDocumentStatus"
    actions   = ["es:ESHttpHead", "es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost"]
    resources = local.opensearch_status_index_arns
  }

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

  # Its document's status record: HEAD and PUT /<index> create the index on first use, GET and PUT
  # /<index>/_mapping add fields, GET /<index>/_doc/<id> reads the record, PUT /<index>/_doc/<id> and
  # /<index>/_create/<id> write it.
  statement {
    sid       = "ReadAndWriteDocumentStatus"
    actions   = ["es:ESHttpHead", "es:ESHttpGet", "es:ESHttpPut"]
    resources = local.opensearch_status_index_arns
  }

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

  # Its document's status record: HEAD and PUT /<index> create the index on first use, GET and PUT
  # /<index>/_mapping add fields, GET /<index>/_doc/<id> reads the record, PUT /<index>/_doc/<id> and
  # /<index>/_create/<id> write it.
  statement {
    sid       = "ReadAndWriteDocumentStatus"
    actions   = ["es:ESHttpHead", "es:ESHttpGet", "es:ESHttpPut"]
    resources = local.opensearch_status_index_arns
  }

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

  # Status records as the other stages, plus POST /<index>/_count (parts done) and
  # POST /<index>/_delete_by_query (part markers).
  statement {
    sid       = "ReadAndWriteDocumentStatus"
    actions   = ["es:ESHttpHead", "es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost"]
    resources = local.opensearch_status_index_arns
  }

  # The chunk index: HEAD and PUT /<index> create it on first use, GET and PUT /<index>/_mapping check
  # the embedding model and add fields, POST /<index>/_refresh and _count count a version's chunks,
  # POST /<index>/_delete_by_query removes a deleted document's or a replaced version's chunks.
  statement {
    sid       = "ManageChunkIndex"
    actions   = ["es:ESHttpHead", "es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost"]
    resources = local.opensearch_chunk_index_arns
  }

  # POST /_bulk writes the chunks. It is a domain-level path: the index is named in the request body,
  # so IAM can limit this statement to the verb and the path only.
  statement {
    sid       = "BulkIndexChunks"
    actions   = ["es:ESHttpPost"]
    resources = ["${local.opensearch_domain_arn}/_bulk"]
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

  # Status records: HEAD and PUT /<index> and /<index>/_mapping create the index on first use, GET
  # /<index>/_doc/<id> reads one, PUT /<index>/_doc/<id> and /<index>/_create/<id> write one (upload,
  # delete), POST /<index>/_search and _count list them.
  statement {
    sid       = "ReadAndWriteDocumentStatus"
    actions   = ["es:ESHttpHead", "es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost"]
    resources = local.opensearch_status_index_arns
  }

  # The chunk index, for the model check only: HEAD and PUT /<index> create it when a question comes
  # before the first document, GET and PUT /<index>/_mapping check the embedding model and add fields.
  # Searches go through POST /_msearch below, never through a path of the index.
  statement {
    sid       = "CheckChunkIndex"
    actions   = ["es:ESHttpHead", "es:ESHttpGet", "es:ESHttpPut"]
    resources = local.opensearch_chunk_index_arns
  }

  # POST /_msearch runs the BM25 and k-NN searches in one request. It is a domain-level path: the index
  # is named in the request body, so IAM can limit this statement to the verb and the path only.
  statement {
    sid       = "SearchChunks"
    actions   = ["es:ESHttpPost"]
    resources = ["${local.opensearch_domain_arn}/_msearch"]
  }

  # The query history: HEAD, PUT and _mapping create the index on first use, PUT /<index>/_doc/<id>
  # records a question, POST /<index>/_search reads a conversation and the history.
  statement {
    sid       = "ReadAndWriteQueryHistory"
    actions   = ["es:ESHttpHead", "es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost"]
    resources = local.opensearch_queries_index_arns
  }

  # GET /_cluster/health answers /v1/health.
  statement {
    sid       = "ReadClusterHealth"
    actions   = ["es:ESHttpGet"]
    resources = ["${local.opensearch_domain_arn}/_cluster/health"]
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

  # Only the one secret, and only when there is one: the query function reads the answer API key from
  # it on first use (QUARRY_ANSWER_API_KEY_SECRET_ARN), so the key is in neither the state nor the
  # function's configuration.
  dynamic "statement" {
    for_each = var.answer_api_key_secret_arn == null ? [] : [var.answer_api_key_secret_arn]

    content {
      sid       = "ReadAnswerApiKey"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }
}
