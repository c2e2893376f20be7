variable "region" {
  type        = string
  description = "AWS region to deploy to. Bedrock must offer the embedding and answer models there."
  default     = "us-east-1"
}

variable "name" {
  type        = string
  description = "Name prefix of every resource."
  default     = "quarry-demo"
}

variable "package_type" {
  type        = string
  description = "\"jvm\" after `./mvnw -B package -DskipTests -Paws`, \"native\" after `./mvnw -B package -DskipTests -Paws,native`."
  default     = "jvm"
}

variable "snap_start" {
  type        = bool
  description = "Enable SnapStart for the JVM build."
  default     = true
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR block of the VPC created for the functions and the OpenSearch domain."
  default     = "10.42.0.0/16"
}

variable "answer_provider" {
  type        = string
  description = "\"bedrock\" (answer_model_id through the Converse API), \"openai\" (an OpenAI-compatible endpoint, answer_endpoint; this VPC has no NAT, so the endpoint must be reachable from the private subnets) or \"extractive\"."
  default     = "bedrock"
}

variable "answer_endpoint" {
  type        = string
  description = "Base URL of the OpenAI-compatible endpoint when answer_provider is \"openai\". null sets none."
  default     = null
}

variable "answer_api_key_secret_arn" {
  type        = string
  description = "Secrets Manager secret holding the API key of the OpenAI-compatible endpoint; the query function reads it at run time. Setting it adds a Secrets Manager interface endpoint (about $7.30 a month per zone). null: no key, no endpoint."
  default     = null
}

variable "answer_model_id" {
  type        = string
  description = "Bedrock model or inference profile that writes the answers."
  default     = "us.amazon.nova-lite-v1:0"
}

variable "alarm_email" {
  type        = string
  description = "E-mail address told when an alarm fires or clears (dead-letter queues, failed records per stage, query latency, API errors and outages, API Gateway 5xx: terraform/modules/quarry/metrics.tf and sqs.tf). null sends no e-mail."
  default     = null
}

variable "high_availability" {
  type        = bool
  description = "Two OpenSearch data nodes in two zones and the Bedrock and SQS endpoints in both zones (about $70 a month more when idle). Off: one data node and one endpoint zone, the cheapest sound setup (indices have no replicas either way)."
  default     = false
}
