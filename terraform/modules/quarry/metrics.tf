# Metrics: every function prints its metrics as CloudWatch embedded metric format (EMF) lines on stdout, one per
# invocation; CloudWatch Logs turns them into metrics in the "Quarry" namespace with the dimension "stage" (extract,
# chunk, embed, index, query). The API's responses (quarry.api.*) are also broken down by "route" and "error"; their
# totals carry "stage" alone, which is what the alarms name. The names come from MetricNames.java; MetricNamesTest
# checks every name and dimension used here and in dashboard.json.tftpl against it.

locals {
  metrics_namespace = "Quarry"

  # The dashboard's body. The provider schemas this project is checked against (hashicorp/aws 6.47.0 in
  # ../shared/terraform-provider-schemas beside the repository) do not include aws_cloudwatch_dashboard, so the body is an output and
  # `scripts/quarry deploy` puts it with the AWS CLI (aws cloudwatch put-dashboard).
  dashboard_name = "${var.name}-pipeline-and-questions"
  dashboard_dlqs = { for name, queue in aws_sqs_queue.dlq : name => queue.name }
  dashboard_refs = { region = data.aws_region.current.region, api_id = aws_apigatewayv2_api.this.id }
  dashboard_body = templatefile("${path.module}/dashboard.json.tftpl", merge(local.dashboard_refs, { dlqs = local.dashboard_dlqs }))
}

# A record failed for good in a stage: a defect, access denied, a corrupt work file, a model that refuses. Bad PDFs
# (encrypted, malformed, no text) are not record failures: they end READY or FAILED with a reason as designed.
resource "aws_cloudwatch_metric_alarm" "stage_failed_records" {
  for_each = local.stages

  alarm_name          = "${var.name}-${each.key}-failed-records"
  alarm_description   = "The ${each.key} function ended records failed for good (a defect, a permission, a corrupt work file). Filter its logs on level ERROR and mdc.stage = \"${each.key}\"."
  namespace           = local.metrics_namespace
  metric_name         = "quarry.stage.records.failed"
  dimensions          = { stage = each.key }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "query_latency_p95" {
  alarm_name          = "${var.name}-query-latency-p95"
  alarm_description   = "The 95th percentile of /v1/query latency stayed above ${var.query_latency_p95_alarm_ms} ms for 15 minutes. The dashboard's phases say where the time goes."
  namespace           = local.metrics_namespace
  metric_name         = "quarry.query.latency"
  dimensions          = { stage = "query" }
  extended_statistic  = "p95"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.query_latency_p95_alarm_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# A defect answered 500 (or a model setting refused, 502): a retry will not help, so any one is worth a look.
resource "aws_cloudwatch_metric_alarm" "api_errors" {
  alarm_name          = "${var.name}-api-errors"
  alarm_description   = "The API answered 500 (a defect) or 502 (the answer model refuses its settings). The dashboard's errors by route and code say where; filter the query function's logs on level ERROR."
  namespace           = local.metrics_namespace
  metric_name         = "quarry.api.errors"
  dimensions          = { stage = "query" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# An outage (503: OpenSearch or a model throttling, failing or out of reach) that lasts: a retry may get past a
# passing one, so only 503s in two 5-minute periods in a row alarm.
resource "aws_cloudwatch_metric_alarm" "api_outages" {
  alarm_name          = "${var.name}-api-outages"
  alarm_description   = "The API answered 503 in two 5-minute periods in a row: something requests need is out (error unavailable: OpenSearch or another service a request calls; answer_model_unavailable: the chat model). The dashboard's outages by route and code say which."
  namespace           = local.metrics_namespace
  metric_name         = "quarry.api.outages"
  dimensions          = { stage = "query" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# 5xx from API Gateway rather than from the function: it also counts the requests whose function timed out or
# crashed, which never print their metrics.
resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${var.name}-api-5xx"
  alarm_description   = "The HTTP API answered 5xx (503: an outage of OpenSearch or a model; 500: a defect). Filter the query function's logs on level ERROR."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  dimensions          = { ApiId = aws_apigatewayv2_api.this.id }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
