# One function per pipeline stage plus the query API, each deployed from the zip that the
# AWS build (`./mvnw package -Paws`, with `-Pnative` for GraalVM) writes to
# functions/<name>/target/aws/function.zip, uploaded to S3 first (artifacts.tf).

locals {
  is_native  = var.package_type == "native"
  snap_start = var.snap_start && !local.is_native

  # Settings every function reads (Quarkus maps QUARRY_X_Y to quarry.x.y).
  common_environment = {
    QUARRY_BUCKET                  = aws_s3_bucket.documents.id
    QUARRY_OPENSEARCH_ENDPOINT     = "https://${aws_opensearch_domain.this.endpoint}"
    QUARRY_OPENSEARCH_SIGV4        = "true"
    QUARRY_OPENSEARCH_CHUNK_INDEX  = var.opensearch_chunk_index
    QUARRY_OPENSEARCH_STATUS_INDEX = var.opensearch_status_index
    # A replica needs a second node: one on a multi-node domain, none on a single node (it would stay yellow).
    QUARRY_OPENSEARCH_REPLICAS = tostring(var.opensearch_instance_count > 1 ? 1 : 0)
  }

  extract_environment = {
    QUARRY_EXTRACT_MAX_BYTES      = tostring(var.extract_max_bytes)
    QUARRY_EXTRACT_MAX_PAGES      = tostring(var.extract_max_pages)
    QUARRY_EXTRACT_PAGES_PER_PART = tostring(var.extract_pages_per_part)
    QUARRY_EXTRACT_TIMEOUT        = "PT${var.extract_timeout_seconds}S"
  }

  chunking_environment = {
    QUARRY_CHUNKING_MAX_TOKENS     = tostring(var.chunking_max_tokens)
    QUARRY_CHUNKING_OVERLAP_TOKENS = tostring(var.chunking_overlap_tokens)
  }

  # Ingestion and query must embed with the same model; both read these.
  embedding_environment = {
    QUARRY_EMBEDDING_PROVIDER  = "bedrock"
    QUARRY_EMBEDDING_MODEL_ID  = var.embedding_model_id
    QUARRY_EMBEDDING_DIMENSION = tostring(var.embedding_dimension)
  }

  query_environment = {
    QUARRY_ANSWER_PROVIDER          = var.answer_provider
    QUARRY_ANSWER_MODEL_ID          = var.answer_model_id
    QUARRY_AUTH_TENANT_CLAIM        = var.auth_tenant_claim
    QUARRY_OPENSEARCH_QUERIES_INDEX = var.opensearch_queries_index
    QUARRY_SEARCH_FUSION            = var.search_fusion
    # The index stage ends a document whose upload never came (a message held back until its URL expired).
    QUARRY_QUEUE_EXPIRY_QUEUE_URL = aws_sqs_queue.stage["index"].url
  }

  # The web console: refuses files over the extract limit before uploading them, and signs in with
  # the Cognito app client when one is given (an API key otherwise, which only the local stack takes).
  console_environment = {
    QUARRY_EXTRACT_MAX_BYTES = tostring(var.extract_max_bytes)
  }
  console_sign_in_environment = var.console_cognito_client_id == null ? {} : {
    QUARRY_CONSOLE_COGNITO_CLIENT_ID = var.console_cognito_client_id
  }

  # Set only when given: the OpenAI-compatible endpoint (or a Bedrock endpoint override) and its key.
  answer_endpoint_environment = var.answer_endpoint == null ? {} : {
    QUARRY_ANSWER_ENDPOINT = var.answer_endpoint
  }
  # The secret's ARN, never its value: the function reads the key on first use (and needs a route to
  # Secrets Manager from the subnets: an interface endpoint, see the example, or NAT).
  answer_api_key_environment = var.answer_api_key_secret_arn == null ? {} : {
    QUARRY_ANSWER_API_KEY_SECRET_ARN = var.answer_api_key_secret_arn
  }

  # Set only when given: prices for the answers' estimated cost (the query function knows Bedrock's list prices).
  cost_embedding_environment = var.cost_embedding_per_million_tokens == null ? {} : {
    QUARRY_COST_EMBEDDING_PER_MILLION_TOKENS = tostring(var.cost_embedding_per_million_tokens)
  }
  cost_answer_input_environment = var.cost_answer_input_per_million_tokens == null ? {} : {
    QUARRY_COST_ANSWER_INPUT_PER_MILLION_TOKENS = tostring(var.cost_answer_input_per_million_tokens)
  }
  cost_answer_output_environment = var.cost_answer_output_per_million_tokens == null ? {} : {
    QUARRY_COST_ANSWER_OUTPUT_PER_MILLION_TOKENS = tostring(var.cost_answer_output_per_million_tokens)
  }

  # The settings each function receives, as layers merged in order.
  environment_layers = {
    extract = [local.common_environment, local.extract_environment, local.queue_environment["extract"]]
    chunk   = [local.common_environment, local.chunking_environment, local.queue_environment["chunk"]]
    embed   = [local.common_environment, local.embedding_environment, local.queue_environment["embed"]]
    index   = [local.common_environment, local.embedding_environment, local.queue_environment["index"]]
    query = [
      local.common_environment, local.embedding_environment, local.query_environment,
      local.answer_endpoint_environment, local.answer_api_key_environment, local.console_environment,
      local.console_sign_in_environment, local.cost_embedding_environment, local.cost_answer_input_environment,
      local.cost_answer_output_environment,
    ]
  }

  # JVM: tiered compilation stopped at C1 is the usual cold-start trade-off for Java on Lambda.
  # Native: the executable must leave SIGTERM/SIGINT to the Lambda runtime (Quarkus reads DISABLE_SIGNAL_HANDLERS).
  runtime_environment = local.is_native ? {
    DISABLE_SIGNAL_HANDLERS = "true"
    } : {
    JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
  }
}

resource "aws_security_group" "lambda" {
  name_prefix = "${var.name}-lambda-"
  description = "Quarry functions: outbound HTTPS to OpenSearch, S3 and Bedrock."
  vpc_id      = var.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "lambda_https" {
  security_group_id = aws_security_group.lambda.id
  description       = "HTTPS to OpenSearch and to AWS APIs (through VPC endpoints or NAT)."
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_cloudwatch_log_group" "function" {
  for_each = local.functions

  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  for_each = local.functions

  function_name = "${var.name}-${each.key}"
  description   = "Quarry ${each.key} function"
  role          = aws_iam_role.function[each.key].arn
  # From the uploaded zip (artifacts.tf), pinned to the version just uploaded.
  s3_bucket         = aws_s3_object.function[each.key].bucket
  s3_key            = aws_s3_object.function[each.key].key
  s3_object_version = aws_s3_object.function[each.key].version_id
  source_code_hash  = filebase64sha256(local.function_zips[each.key])
  runtime           = local.is_native ? "provided.al2023" : "java21"
  handler           = local.is_native ? "not.used.in.provided.runtime" : "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
  architectures     = var.architectures
  memory_size       = each.value.memory_mb
  timeout           = each.value.timeout_seconds
  publish           = local.snap_start

  environment {
    variables = merge(concat(local.environment_layers[each.key], [local.runtime_environment])...)
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = concat([aws_security_group.lambda.id], var.lambda_security_group_ids)
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  dynamic "snap_start" {
    for_each = local.snap_start ? [true] : []

    content {
      apply_on = "PublishedVersions"
    }
  }

  tags = var.tags

  # The role's inline policy holds the network interface permissions Lambda checks for a VPC function.
  depends_on = [aws_iam_role_policy.function]

  lifecycle {
    precondition {
      condition     = contains(keys(local.environment_layers), each.key)
      error_message = "Function ${each.key} from pipeline.json has no settings in environment_layers (lambda.tf)."
    }
    precondition {
      condition     = each.value.timeout_seconds <= 900
      error_message = "The timeout of function ${each.key} exceeds the Lambda maximum of 900 seconds."
    }
    precondition {
      condition     = var.extract_timeout_seconds < local.functions["extract"].timeout_seconds
      error_message = "extract_timeout_seconds must be below the extract function's timeout from pipeline.json."
    }
    precondition {
      condition     = var.answer_provider != "openai" || var.answer_endpoint != null
      error_message = "answer_endpoint must be set when answer_provider is \"openai\"."
    }
    precondition {
      condition     = var.chunking_overlap_tokens < var.chunking_max_tokens
      error_message = "chunking_overlap_tokens must be smaller than chunking_max_tokens."
    }
  }
}

# Event sources and the API invoke this alias: it follows the version published for
# SnapStart, or $LATEST when nothing is published.
resource "aws_lambda_alias" "live" {
  for_each = local.functions

  name             = "live"
  description      = "Version invoked by the SQS event source mappings and the HTTP API."
  function_name    = aws_lambda_function.this[each.key].function_name
  function_version = aws_lambda_function.this[each.key].version
}
