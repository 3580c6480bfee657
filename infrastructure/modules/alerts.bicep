// The alert rules of the deployment document (§7.3), on what the service really exports:
//  - CPU > 80 % and memory > 90 % for 5 minutes: Container Instances platform metrics of the
//    atg-api container (CpuUsage in millicores, MemoryUsage in bytes) against its allocation;
//  - /health failing 3 times: the collector's httpcheck of GET /health every 30 s
//    (httpcheck.status for the 2xx class is 0 when the probe failed); Container Instances'
//    liveness probe restarts the container on its own after 3 failures;
//  - job queue depth > 50: the service's gauge atg_job_queue_depth;
//  - error rate > 10 % over 10 minutes: 5xx answers among all answers of
//    atg_api_requests_total{status} (the collector turns the counter into deltas).
// The metric names in the queries are checked against a running service's /metrics by
// tests/deploy/crosscheck.py.
param location string
param nameSuffix string
param containerGroupId string
param insightsId string
param apiCpuCores int
param apiMemoryGb int
param alertEmail string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'atg-alerts-${nameSuffix}'
  location: 'global'
  properties: {
    groupShortName: 'atg-ops'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      {
        name: 'operations'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var platformAlerts = [
  {
    name: 'cpu-above-80pct'
    description: 'atg-api CPU above 80 % of its allocation for 5 minutes'
    metric: 'CpuUsage'
    threshold: apiCpuCores * 1000 * 80 / 100
    severity: 2
  }
  {
    name: 'memory-above-90pct'
    description: 'atg-api memory above 90 % of its allocation for 5 minutes'
    metric: 'MemoryUsage'
    threshold: apiMemoryGb * 1024 * 1024 * 1024 * 90 / 100
    severity: 2
  }
]

resource metricAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [for a in platformAlerts: {
  name: 'atg-${a.name}-${nameSuffix}'
  location: 'global'
  properties: {
    description: a.description
    severity: a.severity
    enabled: true
    scopes: [
      containerGroupId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: a.metric
          metricName: a.metric
          metricNamespace: 'Microsoft.ContainerInstance/containerGroups'
          operator: 'GreaterThan'
          threshold: a.threshold
          timeAggregation: 'Average'
          dimensions: [
            {
              name: 'containerName'
              operator: 'Include'
              values: [
                'atg-api'
              ]
            }
          ]
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}]

var queryAlerts = [
  {
    name: 'health-failing'
    description: 'GET /health failed 3 times in 5 minutes (the service is unhealthy or down)'
    severity: 1
    window: 'PT5M'
    query: 'customMetrics | where name == "httpcheck.status" and tostring(customDimensions["http.status_class"]) == "2xx" | summarize failures = countif(value == 0)'
    measure: 'failures'
    threshold: 2
  }
  {
    name: 'queue-depth-above-50'
    description: 'more than 50 jobs waiting (atg_job_queue_depth)'
    severity: 2
    window: 'PT5M'
    query: 'customMetrics | where name == "atg_job_queue_depth" | summarize depth = max(value)'
    measure: 'depth'
    threshold: 50
  }
  {
    name: 'error-rate-above-10pct'
    description: 'more than 10 % of API answers were server errors over 10 minutes (atg_api_requests_total)'
    severity: 2
    window: 'PT10M'
    query: 'customMetrics | where name == "atg_api_requests_total" | extend status = tostring(customDimensions["status"]) | summarize total = sum(value), errors = sumif(value, status startswith "5") | where total > 0 | extend errorPercent = 100.0 * errors / total'
    measure: 'errorPercent'
    threshold: 10
  }
]

resource logAlerts 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for a in queryAlerts: {
  name: 'atg-${a.name}-${nameSuffix}'
  location: location
  properties: {
    description: a.description
    severity: a.severity
    enabled: true
    scopes: [
      insightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: a.window
    criteria: {
      allOf: [
        {
          query: a.query
          timeAggregation: 'Maximum'
          metricMeasureColumn: a.measure
          operator: 'GreaterThan'
          threshold: a.threshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}]
