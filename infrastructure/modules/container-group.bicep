// The container group of one environment (§1.1, §1.2): atg-api (`atg serve`, HTTPS on 8000),
// neo4j, redis (AOF), the daily backup job and the metrics forwarder, sharing one network
// namespace (they talk over localhost; only 8000 is exposed). Restart policy Always, and a
// liveness probe on /health that restarts atg-api after 3 failures (risk R2).
param location string
param environment string
param nameSuffix string
param subnetId string
param storageAccountName string
param managedIdentityId string
param managedIdentityClientId string
param keyvaultName string
param targetTenantId string
param targetSubscriptionId string
param image string
@secure()
param neo4jPassword string
@secure()
param metricsApiKey string
@secure()
param tlsCertificate string
@secure()
param tlsKey string
param insightsName string
param workspaceName string
param backupsContainerUrl string
param restoreBackupUrl string
param apiCpu int
param apiMemoryGb int
param neo4jCpu int
param neo4jMemoryGb int
param neo4jHeapSize string
param redisCpu int
param redisMemoryGb int
param serverWorkers int
param maxConcurrentJobs int
param logLevel string
param probe object

var containerGroupName = 'atg-service-${nameSuffix}'

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: storageAccountName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {
  name: workspaceName
}

// What atg-api and the backup job are configured with: only variables the service reads
// (tests/deploy/crosscheck.py checks this list against `atg config vars`).
var atgEnvironment = [
  {
    name: 'ATG_SERVER_HOST'
    value: '0.0.0.0'
  }
  {
    name: 'ATG_SERVER_PORT'
    value: '8000'
  }
  {
    name: 'ATG_SERVER_WORKERS'
    value: string(serverWorkers)
  }
  {
    name: 'ATG_TARGET_TENANT_ID'
    value: targetTenantId
  }
  {
    name: 'ATG_TARGET_SUBSCRIPTION_ID'
    value: targetSubscriptionId
  }
  {
    name: 'ATG_USE_MANAGED_IDENTITY'
    value: 'true'
  }
  {
    name: 'ATG_MANAGED_IDENTITY_CLIENT_ID'
    value: managedIdentityClientId
  }
  {
    name: 'AZURE_KEY_VAULT_NAME'
    value: keyvaultName
  }
  {
    name: 'REDIS_URL'
    value: 'redis://localhost:6379'
  }
  {
    name: 'ATG_MAX_CONCURRENT_JOBS'
    value: string(maxConcurrentJobs)
  }
  {
    name: 'NEO4J_URI'
    value: 'bolt://localhost:7687'
  }
  {
    name: 'NEO4J_PORT'
    value: '7687'
  }
  {
    name: 'NEO4J_USER'
    value: 'neo4j'
  }
  {
    name: 'NEO4J_PASSWORD'
    secureValue: neo4jPassword
  }
  {
    name: 'ATG_DATA_DIR'
    value: '/var/lib/atg'
  }
  {
    name: 'ATG_TLS_CERT_FILE'
    value: '/run/tls/tls.crt'
  }
  {
    name: 'ATG_TLS_KEY_FILE'
    value: '/run/tls/tls.key'
  }
  {
    name: 'ATG_ARTIFACT_BLOB_ENDPOINT'
    value: storage.properties.primaryEndpoints.blob
  }
  {
    name: 'ATG_ARTIFACT_BLOB_ACCOUNT'
    value: storage.name
  }
  {
    name: 'ATG_ARTIFACT_BLOB_KEY'
    secureValue: storage.listKeys().keys[0].value
  }
  {
    name: 'ATG_ARTIFACT_BLOB_CONTAINER'
    value: 'artifacts'
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
  {
    name: 'ENABLE_METRICS'
    value: 'true'
  }
]

// The backup job's own settings (read by atg-backup-loop, not by the service).
var backupEnvironment = [
  {
    name: 'BACKUP_BLOB_CONTAINER_URL'
    value: backupsContainerUrl
  }
  {
    name: 'BACKUP_HOUR_UTC'
    value: '2'
  }
  {
    name: 'BACKUP_KEEP_DAYS'
    value: '30'
  }
  {
    name: 'BACKUP_RESTORE_URL'
    value: restoreBackupUrl
  }
]

// The OpenTelemetry collector scrapes /metrics (with an API key of its own) and probes /health
// every 30 s, and sends both to Application Insights, where alerts.bicep evaluates them.
// The NormalizeName gate is off so the series keep the names the service exports.
var collectorConfig = '''
receivers:
  prometheus:
    config:
      scrape_configs:
        - job_name: atg
          scrape_interval: 30s
          scheme: https
          tls_config:
            insecure_skip_verify: true
          authorization:
            credentials: ${env:METRICS_BEARER_TOKEN}
          static_configs:
            - targets: ["localhost:8000"]
  httpcheck:
    collection_interval: 30s
    targets:
      - endpoint: https://localhost:8000/health
        method: GET
        tls:
          insecure_skip_verify: true
processors:
  cumulativetodelta:
    include:
      match_type: strict
      metrics: [atg_api_requests_total]
  batch: {}
exporters:
  azuremonitor:
    connection_string: ${env:APPLICATIONINSIGHTS_CONNECTION_STRING}
service:
  pipelines:
    metrics:
      receivers: [prometheus, httpcheck]
      processors: [cumulativetodelta, batch]
      exporters: [azuremonitor]
'''

var healthProbe = {
  httpGet: {
    path: '/health'
    port: 8000
    scheme: 'https'
  }
  initialDelaySeconds: probe.initialDelaySeconds
  periodSeconds: probe.periodSeconds
  failureThreshold: probe.failureThreshold
  timeoutSeconds: probe.timeoutSeconds
}

resource containerGroup 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: containerGroupName
  location: location
  tags: {
    environment: environment
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${managedIdentityId}': {}
    }
  }
  properties: {
    osType: 'Linux'
    sku: 'Standard'
    restartPolicy: 'Always'
    // A private address in the container subnet only (§1.3): clients come through the network
    // (an Application Gateway, a VPN, a peered network); storage and Key Vault accept nothing
    // from outside it.
    ipAddress: {
      type: 'Private'
      ports: [
        {
          protocol: 'TCP'
          port: 8000
        }
      ]
    }
    subnetIds: [
      {
        id: subnetId
      }
    ]
    diagnostics: {
      logAnalytics: {
        workspaceId: workspace.properties.customerId
        workspaceKey: workspace.listKeys().primarySharedKey
        logType: 'ContainerInstanceLogs'
      }
    }
    containers: [
      {
        name: 'atg-api'
        properties: {
          image: image
          resources: {
            requests: {
              cpu: apiCpu
              memoryInGB: apiMemoryGb
            }
          }
          ports: [
            {
              protocol: 'TCP'
              port: 8000
            }
          ]
          environmentVariables: atgEnvironment
          volumeMounts: [
            {
              name: 'atg-data'
              mountPath: '/var/lib/atg'
            }
            {
              name: 'tls'
              mountPath: '/run/tls'
              readOnly: true
            }
          ]
          livenessProbe: healthProbe
          readinessProbe: healthProbe
        }
      }
      {
        name: 'neo4j'
        properties: {
          image: 'neo4j:5.15-community'
          resources: {
            requests: {
              cpu: neo4jCpu
              memoryInGB: neo4jMemoryGb
            }
          }
          environmentVariables: [
            {
              name: 'NEO4J_AUTH'
              secureValue: 'neo4j/${neo4jPassword}'
            }
            {
              // Neo4j 5's name for the heap limit (the 4.x dbms_memory_* names are ignored).
              name: 'NEO4J_server_memory_heap_max__size'
              value: neo4jHeapSize
            }
          ]
          volumeMounts: [
            {
              name: 'neo4j-data'
              mountPath: '/data'
            }
          ]
        }
      }
      {
        name: 'redis'
        properties: {
          image: 'redis:7-alpine'
          command: [
            'redis-server'
            '--appendonly'
            'yes'
            '--appendfsync'
            'everysec'
            '--bind'
            '127.0.0.1'
          ]
          resources: {
            requests: {
              cpu: redisCpu
              memoryInGB: redisMemoryGb
            }
          }
          volumeMounts: [
            {
              name: 'redis-data'
              mountPath: '/data'
            }
          ]
        }
      }
      {
        name: 'atg-backup'
        properties: {
          image: image
          command: [
            '/usr/local/bin/atg-backup-loop'
          ]
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 2
            }
          }
          environmentVariables: concat(atgEnvironment, backupEnvironment)
          volumeMounts: [
            {
              name: 'atg-data'
              mountPath: '/var/lib/atg'
            }
          ]
        }
      }
      {
        name: 'metrics'
        properties: {
          image: 'otel/opentelemetry-collector-contrib:0.96.0'
          command: [
            '/otelcol-contrib'
            '--config=/etc/otelcol/config.yaml'
            '--feature-gates=-pkg.translator.prometheus.NormalizeName'
          ]
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
          environmentVariables: [
            {
              name: 'METRICS_BEARER_TOKEN'
              secureValue: metricsApiKey
            }
            {
              name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
              secureValue: insights.properties.ConnectionString
            }
          ]
          volumeMounts: [
            {
              name: 'collector-config'
              mountPath: '/etc/otelcol'
              readOnly: true
            }
          ]
        }
      }
    ]
    volumes: [
      {
        name: 'atg-data'
        azureFile: {
          shareName: 'atg-data'
          storageAccountName: storage.name
          storageAccountKey: storage.listKeys().keys[0].value
        }
      }
      {
        name: 'neo4j-data'
        azureFile: {
          shareName: 'neo4j-data'
          storageAccountName: storage.name
          storageAccountKey: storage.listKeys().keys[0].value
        }
      }
      {
        name: 'redis-data'
        azureFile: {
          shareName: 'redis-data'
          storageAccountName: storage.name
          storageAccountKey: storage.listKeys().keys[0].value
        }
      }
      {
        name: 'tls'
        secret: {
          'tls.crt': base64(tlsCertificate)
          'tls.key': base64(tlsKey)
        }
      }
      {
        name: 'collector-config'
        secret: {
          'config.yaml': base64(collectorConfig)
        }
      }
    ]
  }
}

output id string = containerGroup.id
output name string = containerGroup.name
output ipAddress string = containerGroup.properties.ipAddress.ip
output fqdn string = containerGroup.properties.ipAddress.ip
