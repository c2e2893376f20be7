# ---------------------------------------------------------------------------------------
# Naming and sources
# ---------------------------------------------------------------------------------------

variable "name" {
  type        = string
  description = "Name prefix for every resource (functions, queues, bucket, OpenSearch domain). Lowercase letters, digits and hyphens; at most 20 characters so derived names stay within AWS limits."
  default     = "quarry"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,19}$", var.name))
    error_message = "name must be 3-20 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every taggable resource of the module."
  default     = {}
}

variable "pipeline_file" {
  type        = string
  description = "Path to the pipeline wiring definition (stages, queues, S3 triggers, limits). null means the repository's infra/pipeline.json, which the local stack reads as well."
  default     = null
}

variable "artifacts_dir" {
  type        = string
  description = "Directory holding one folder per function with the AWS build output (`./mvnw package -Paws`): <artifacts_dir>/<function>/target/aws/function.zip. null means the repository's functions/ directory."
  default     = null
}

variable "artifacts_bucket" {
  type        = string
  description = "Existing S3 bucket, in the module's region and with versioning enabled, to upload the function zips to (under <name>/<function>/function.zip); Lambda deploys them from there. null creates a private, encrypted, versioned artifacts bucket."
  default     = null

  validation {
    condition     = var.artifacts_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifacts_bucket))
    error_message = "artifacts_bucket must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens) or null."
  }
}

# ---------------------------------------------------------------------------------------
# Lambda
# ---------------------------------------------------------------------------------------

variable "package_type" {
  type        = string
  description = "How the functions were built: \"jvm\" (java21 runtime, `./mvnw package -Paws`) or \"native\" (GraalVM native executable on provided.al2023, `./mvnw package -Paws,native`)."
  default     = "jvm"

  validation {
    condition     = contains(["jvm", "native"], var.package_type)
    error_message = "package_type must be \"jvm\" or \"native\"."
  }
}

variable "architectures" {
  type        = list(string)
  description = "Instruction set of the functions. A native build must have been compiled for the same architecture."
  default     = ["x86_64"]

  validation {
    condition     = length(var.architectures) == 1 && contains(["x86_64", "arm64"], var.architectures[0])
    error_message = "architectures must be exactly one of [\"x86_64\"] or [\"arm64\"]."
  }
}

variable "snap_start" {
  type        = bool
  description = "Enable Lambda SnapStart for JVM builds (publishes a version per deployment; the functions are invoked through the \"live\" alias). Ignored for native builds, which do not need it."
  default     = false
}

variable "query_memory_mb" {
  type        = number
  description = "Memory of the query (HTTP API) function in MB. The stage functions take theirs from the pipeline file."
  default     = 2048

  validation {
    condition     = var.query_memory_mb >= 128 && var.query_memory_mb <= 10240
    error_message = "query_memory_mb must be between 128 and 10240."
  }
}

variable "query_timeout_seconds" {
  type        = number
  description = "Timeout of the query function in seconds. API Gateway HTTP APIs give up after 30 s, so a longer timeout only wastes compute."
  default     = 29

  validation {
    condition     = var.query_timeout_seconds >= 1 && var.query_timeout_seconds <= 30
    error_message = "query_timeout_seconds must be between 1 and 30 (the HTTP API integration limit)."
  }
}

variable "maximum_concurrency" {
  type        = number
  description = "Most concurrent invocations every SQS event source mapping may start (Lambda scaling_config), for all stages. Bounds the load on OpenSearch and Bedrock. null means each stage's maximumConcurrency from the pipeline file."
  default     = null

  validation {
    condition     = var.maximum_concurrency == null || try(var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000, false)
    error_message = "maximum_concurrency must be between 2 and 1000 (the SQS event source mapping limits), or null."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the function and API access log groups, in days."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

# ---------------------------------------------------------------------------------------
# Network (the functions run in the VPC because the OpenSearch domain does)
# ---------------------------------------------------------------------------------------

variable "vpc_id" {
  type        = string
  description = "VPC for the functions and the OpenSearch domain."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets for the functions and the OpenSearch domain. They need a route to S3 and Bedrock (VPC endpoints or NAT). The domain uses the first one, or up to three when opensearch_instance_count > 1."

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids must contain at least one subnet."
  }
}

variable "lambda_security_group_ids" {
  type        = list(string)
  description = "Extra security groups for the functions, e.g. one allowed by existing VPC endpoints. The module always adds its own group, which the OpenSearch domain admits."
  default     = []
}

# ---------------------------------------------------------------------------------------
# Bucket
# ---------------------------------------------------------------------------------------

variable "bucket_name" {
  type        = string
  description = "Name of the documents bucket. null lets AWS generate a unique name from the name prefix."
  default     = null
}

variable "bucket_force_destroy" {
  type        = bool
  description = "Allow terraform destroy to delete the bucket with every document in it. Keep false outside throw-away environments."
  default     = false
}

variable "kms_key_arn" {
  type        = string
  description = "Customer managed KMS key for the bucket (SSE-KMS). null uses S3 managed keys (SSE-S3, AES256)."
  default     = null
}

variable "work_expiration_days" {
  type        = number
  description = "Days after which intermediate artifacts under work/ (extracted text, chunks, embeddings) expire. They only serve replays of a stage."
  default     = 30

  validation {
    condition     = var.work_expiration_days >= 1
    error_message = "work_expiration_days must be at least 1."
  }
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days a replaced or deleted document version is kept before it expires."
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "upload_cors_allowed_origins" {
  type        = list(string)
  description = "Browser origins allowed to PUT documents with a presigned upload URL. Empty means no CORS rule (uploads from servers and CLIs only)."
  default     = []
}

# ---------------------------------------------------------------------------------------
# Queues and alarms
# ---------------------------------------------------------------------------------------

variable "alarm_actions" {
  type        = list(string)
  description = "ARNs (e.g. SNS topics) notified when an alarm fires and when it clears: a dead-letter queue holds messages, a stage failed records for good, the query p95 latency or the API's 5xx (terraform/modules/quarry/metrics.tf)."
  default     = []
}

# ---------------------------------------------------------------------------------------
# OpenSearch
# ---------------------------------------------------------------------------------------

variable "opensearch_engine_version" {
  type        = string
  description = "Engine version of the OpenSearch domain. The tests run OpenSearch 3 (the newest release on Maven Central, pom.xml opensearch.version); the domain runs the newest 3.x that Amazon OpenSearch Service offers, so both speak the same major version."
  default     = "OpenSearch_3.3"

  validation {
    condition     = can(regex("^OpenSearch_3\\.[0-9]+$", var.opensearch_engine_version))
    error_message = "opensearch_engine_version must be an OpenSearch 3.x version such as \"OpenSearch_3.3\": the functions are tested against OpenSearch 3 only."
  }
}

variable "opensearch_instance_type" {
  type        = string
  description = "Data node instance type of the OpenSearch domain (must support encryption at rest, i.e. not t2)."
  default     = "t3.medium.search"
}

variable "opensearch_instance_count" {
  type        = number
  description = "Number of data nodes. More than one spreads them over up to three of the subnets (zone awareness); the count must then be a multiple of the zones used."
  default     = 1

  validation {
    condition     = var.opensearch_instance_count >= 1
    error_message = "opensearch_instance_count must be at least 1."
  }
}

variable "opensearch_volume_size_gb" {
  type        = number
  description = "gp3 EBS volume size per data node, in GB."
  default     = 20

  validation {
    condition     = var.opensearch_volume_size_gb >= 10
    error_message = "opensearch_volume_size_gb must be at least 10."
  }
}

variable "create_opensearch_service_linked_role" {
  type        = bool
  description = "Create the AWSServiceRoleForAmazonOpenSearchService role that VPC domains need. Set false when the account already has it (it exists once per account)."
  default     = false
}

variable "opensearch_chunk_index" {
  type        = string
  description = "Index holding the chunks (text, vector, page span). The functions create it at start from infra/opensearch/."
  default     = "quarry-chunks"
}

variable "opensearch_status_index" {
  type        = string
  description = "Index holding one status record per document (and its part markers)."
  default     = "quarry-documents"
}

variable "opensearch_queries_index" {
  type        = string
  description = "Index holding the query history served by GET /v1/queries."
  default     = "quarry-queries"
}

# ---------------------------------------------------------------------------------------
# HTTP API and authentication
# ---------------------------------------------------------------------------------------

variable "jwt_issuer" {
  type        = string
  description = "Issuer URL of the JWT authorizer, e.g. https://cognito-idp.<region>.amazonaws.com/<user pool id>."

  validation {
    condition     = startswith(var.jwt_issuer, "https://")
    error_message = "jwt_issuer must be an https:// URL."
  }
}

variable "jwt_audience" {
  type        = list(string)
  description = "Accepted audiences (aud, or client_id for Cognito access tokens) of the JWT authorizer."

  validation {
    condition     = length(var.jwt_audience) > 0
    error_message = "jwt_audience must contain at least one audience."
  }
}

variable "auth_tenant_claim" {
  type        = string
  description = "JWT claim that names the caller's tenant; every request is scoped to it."
  default     = "custom:tenant"
}

variable "console_cognito_client_id" {
  type        = string
  description = "Id of the Cognito user pool app client the web console signs in with (USER_PASSWORD_AUTH, no secret); its ID tokens must carry the tenant claim and be accepted by the JWT authorizer (list it in jwt_audience). null: the console asks for an API key, which only the local stack accepts."
  default     = null
}

variable "console_origins" {
  type        = list(string)
  description = "Further origins the web console is served from (a custom domain in front of the API), allowed to GET and PUT presigned URLs of the bucket besides the API's own endpoint."
  default     = []
}

variable "api_cors_allowed_origins" {
  type        = list(string)
  description = "Browser origins allowed to call the HTTP API. Empty means no CORS configuration."
  default     = []
}

variable "api_throttling_rate_limit" {
  type        = number
  description = "Steady-state requests per second allowed on each route of the HTTP API."
  default     = 50
}

variable "api_throttling_burst_limit" {
  type        = number
  description = "Request burst allowed on each route of the HTTP API."
  default     = 100
}

# ---------------------------------------------------------------------------------------
# Models and application settings (passed to the functions as QUARRY_* variables)
# ---------------------------------------------------------------------------------------

variable "embedding_model_id" {
  type        = string
  description = "Bedrock embedding model. The id and dimension are recorded with the index; changing them needs a re-embed."
  default     = "amazon.titan-embed-text-v2:0"
}

variable "embedding_dimension" {
  type        = number
  description = "Vector dimension requested from the embedding model (Titan Text Embeddings v2 supports 256, 512 and 1024)."
  default     = 1024

  validation {
    condition     = var.embedding_dimension > 0
    error_message = "embedding_dimension must be positive."
  }
}

variable "answer_provider" {
  type        = string
  description = "How answers are written: \"bedrock\" (a chat model through the Converse API), \"openai\" (any OpenAI-compatible chat endpoint, see answer_endpoint) or \"extractive\" (quotes from the retrieved passages, no generative model)."
  default     = "bedrock"

  validation {
    condition     = contains(["bedrock", "openai", "extractive"], var.answer_provider)
    error_message = "answer_provider must be \"bedrock\", \"openai\" or \"extractive\"."
  }
}

variable "answer_model_id" {
  type        = string
  description = "Chat model that writes the answers: with \"bedrock\" a model or cross-region inference profile (e.g. \"us.anthropic.claude-3-5-haiku-20241022-v1:0\"), with \"openai\" the model name the endpoint expects."
  default     = "anthropic.claude-3-haiku-20240307-v1:0"
}

variable "answer_endpoint" {
  type        = string
  description = "Base URL of the OpenAI-compatible endpoint (e.g. \"https://api.openai.com/v1\"); required when answer_provider is \"openai\". With \"bedrock\" it overrides the Bedrock runtime endpoint. The query function runs in the VPC, so the subnets need a route to it (NAT or a private endpoint). null sets nothing."
  default     = null

  validation {
    condition     = var.answer_endpoint == null || can(regex("^https?://", var.answer_endpoint))
    error_message = "answer_endpoint must be an http:// or https:// URL, or null."
  }
}

variable "answer_api_key_secret_arn" {
  type        = string
  description = "ARN of the Secrets Manager secret whose value (SecretString, the bare key) is the API key of the OpenAI-compatible endpoint. The query function gets the ARN (QUARRY_ANSWER_API_KEY_SECRET_ARN) and reads the key on first use, so the key is in neither the Terraform state nor the function's configuration; the subnets need a route to Secrets Manager (an interface endpoint or NAT). null sends no key."
  default     = null

  validation {
    condition     = var.answer_api_key_secret_arn == null || can(regex("^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.answer_api_key_secret_arn))
    error_message = "answer_api_key_secret_arn must be a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>), or null."
  }
}

variable "cost_embedding_per_million_tokens" {
  type        = number
  description = "USD for the embedding model, per million input tokens, for the estimated cost of each answer (the cost field of /v1/query, GET /v1/costs). null: a Bedrock model's us-east-1 on-demand list price, nothing for a local model; set it for another region, a contract price, or an OpenAI-compatible endpoint (which has no listed price, so its answers' cost is otherwise null)."
  default     = null

  validation {
    condition     = var.cost_embedding_per_million_tokens == null || coalesce(var.cost_embedding_per_million_tokens, 0) >= 0
    error_message = "cost_embedding_per_million_tokens must not be negative."
  }
}

variable "cost_answer_input_per_million_tokens" {
  type        = number
  description = "USD for the answer model, per million input tokens, for the estimated cost of each answer (the cost field of /v1/query, GET /v1/costs). null: a Bedrock model's us-east-1 on-demand list price, nothing for a local model; set it for another region, a contract price, or an OpenAI-compatible endpoint (which has no listed price, so its answers' cost is otherwise null)."
  default     = null

  validation {
    condition     = var.cost_answer_input_per_million_tokens == null || coalesce(var.cost_answer_input_per_million_tokens, 0) >= 0
    error_message = "cost_answer_input_per_million_tokens must not be negative."
  }
}

variable "cost_answer_output_per_million_tokens" {
  type        = number
  description = "USD for the answer model, per million output tokens, for the estimated cost of each answer (the cost field of /v1/query, GET /v1/costs). null: a Bedrock model's us-east-1 on-demand list price, nothing for a local model; set it for another region, a contract price, or an OpenAI-compatible endpoint (which has no listed price, so its answers' cost is otherwise null)."
  default     = null

  validation {
    condition     = var.cost_answer_output_per_million_tokens == null || coalesce(var.cost_answer_output_per_million_tokens, 0) >= 0
    error_message = "cost_answer_output_per_million_tokens must not be negative."
  }
}

variable "search_fusion" {
  type        = string
  description = "How BM25 and k-NN results are fused by the query function (\"RRF\" = reciprocal rank fusion)."
  default     = "RRF"
}

variable "extract_max_bytes" {
  type        = number
  description = "Largest PDF accepted, in bytes; larger ones end FAILED with a reason."
  default     = 104857600
}

variable "extract_max_pages" {
  type        = number
  description = "Most pages accepted per PDF; longer ones end FAILED with a reason."
  default     = 5000
}

variable "extract_pages_per_part" {
  type        = number
  description = "Pages extracted per invocation; larger PDFs are split into page ranges processed in parallel."
  default     = 100
}

variable "extract_timeout_seconds" {
  type        = number
  description = "Bound on extracting one part, in seconds. Must leave room within the extract function's timeout from the pipeline file."
  default     = 120

  validation {
    condition     = var.extract_timeout_seconds >= 1
    error_message = "extract_timeout_seconds must be at least 1."
  }
}

variable "chunking_max_tokens" {
  type        = number
  description = "Largest chunk, in embedding-model tokens."
  default     = 320
}

variable "chunking_overlap_tokens" {
  type        = number
  description = "Tokens shared by neighbouring chunks."
  default     = 48

  validation {
    condition     = var.chunking_overlap_tokens >= 0
    error_message = "chunking_overlap_tokens must not be negative."
  }
}

variable "query_latency_p95_alarm_ms" {
  type        = number
  description = "Alarm when the 95th percentile of /v1/query latency (metric quarry.query.latency) stays above this many milliseconds for three 5-minute periods."
  default     = 5000
}
