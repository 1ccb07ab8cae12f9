package io.cantor.scheduler.config;

import io.cantor.model.RetryBackoff;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a scheduler node is told at start. Built from command-line flags and environment
 * variables by {@link io.cantor.scheduler.SchedulerMain}; tests build it directly.
 *
 * @param members           Hazelcast members to join (host:port); empty means this node forms its own cluster
 * @param jdbcUrl           the journal's database; null means an embedded H2 file in the data folder
 * @param heartbeatInterval H: agents heartbeat this often; a lease without one for {@code 4 x H} is lost
 * @param bootstrapApiKey   admin key of tenant {@code default}; null means none is created
 * @param agentToken        token agents present on {@code /agent/v1/*}; null means none is created
 */
public record SchedulerConfig(String nodeName, String httpHost, int httpPort, Path dataDir,
                              String clusterName, String hazelcastHost, int hazelcastPort, List<String> members,
                              String kubernetesService, String jdbcUrl, String jdbcUser, String jdbcPassword,
                              Path blobDir, Duration heartbeatInterval, RetryBackoff retryBackoff,
                              int defaultMaxAttempts, Duration maxClaimWait, long maxUploadBytes,
                              String bootstrapApiKey, String agentToken, int httpInstances,
                              TenantWeights tenantWeights, NotifyConfig notifications, Limits limits,
                              String tlsCertPath, String tlsKeyPath) {

    public static final int LEASE_HEARTBEATS = 4;
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_HAZELCAST_PORT = 5701;

    public SchedulerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        members = members == null ? List.of() : List.copyOf(members);
        blobDir = blobDir == null ? dataDir.resolve("blobs") : blobDir;
        tenantWeights = tenantWeights == null ? TenantWeights.EQUAL : tenantWeights;
        notifications = notifications == null ? NotifyConfig.DEFAULTS : notifications;
        limits = limits == null ? Limits.DEFAULTS : limits;
    }

    public boolean tls() {
        return tlsCertPath != null && tlsKeyPath != null;
    }

    /** A lease is lost after this long without a heartbeat. */
    public Duration leaseTimeout() {
        return heartbeatInterval.multipliedBy(LEASE_HEARTBEATS);
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(dataDir);
        b.nodeName = nodeName;
        b.httpHost = httpHost;
        b.httpPort = httpPort;
        b.clusterName = clusterName;
        b.hazelcastHost = hazelcastHost;
        b.hazelcastPort = hazelcastPort;
        b.members = members;
        b.kubernetesService = kubernetesService;
        b.jdbcUrl = jdbcUrl;
        b.jdbcUser = jdbcUser;
        b.jdbcPassword = jdbcPassword;
        b.blobDir = blobDir;
        b.heartbeatInterval = heartbeatInterval;
        b.retryBackoff = retryBackoff;
        b.defaultMaxAttempts = defaultMaxAttempts;
        b.maxClaimWait = maxClaimWait;
        b.maxUploadBytes = maxUploadBytes;
        b.bootstrapApiKey = bootstrapApiKey;
        b.agentToken = agentToken;
        b.httpInstances = httpInstances;
        b.tenantWeights = tenantWeights;
        b.notifications = notifications;
        b.limits = limits;
        b.tlsCertPath = tlsCertPath;
        b.tlsKeyPath = tlsKeyPath;
        return b;
    }

    /** Defaults suit one node on a laptop; every field can be overridden. */
    public static final class Builder {
        private final Path dataDir;
        private String nodeName = "scheduler-" + ProcessHandle.current().pid();
        private String httpHost = "0.0.0.0";
        private int httpPort = DEFAULT_HTTP_PORT;
        private String clusterName = "cantor";
        private String hazelcastHost = "127.0.0.1";
        private int hazelcastPort = DEFAULT_HAZELCAST_PORT;
        private List<String> members = List.of();
        private String kubernetesService;
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private Path blobDir;
        private Duration heartbeatInterval = Duration.ofSeconds(5);
        private RetryBackoff retryBackoff = RetryBackoff.DEFAULT;
        private int defaultMaxAttempts = 3;
        private Duration maxClaimWait = Duration.ofSeconds(20);
        private long maxUploadBytes = 512L * 1024 * 1024;
        private String bootstrapApiKey;
        private String agentToken;
        private int httpInstances = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        private TenantWeights tenantWeights = TenantWeights.EQUAL;
        private NotifyConfig notifications = NotifyConfig.DEFAULTS;
        private Limits limits = Limits.DEFAULTS;
        private String tlsCertPath;
        private String tlsKeyPath;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder nodeName(String v) { nodeName = v; return this; }
        public Builder httpHost(String v) { httpHost = v; return this; }
        public Builder httpPort(int v) { httpPort = v; return this; }
        public Builder clusterName(String v) { clusterName = v; return this; }
        public Builder hazelcastHost(String v) { hazelcastHost = v; return this; }
        public Builder hazelcastPort(int v) { hazelcastPort = v; return this; }
        public Builder members(List<String> v) { members = v; return this; }
        public Builder kubernetesService(String v) { kubernetesService = v; return this; }
        public Builder jdbc(String url, String user, String password) { jdbcUrl = url; jdbcUser = user; jdbcPassword = password; return this; }
        public Builder blobDir(Path v) { blobDir = v; return this; }
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder retryBackoff(RetryBackoff v) { retryBackoff = v; return this; }
        public Builder defaultMaxAttempts(int v) { defaultMaxAttempts = v; return this; }
        public Builder maxClaimWait(Duration v) { maxClaimWait = v; return this; }
        public Builder maxUploadBytes(long v) { maxUploadBytes = v; return this; }
        public Builder bootstrapApiKey(String v) { bootstrapApiKey = v; return this; }
        public Builder agentToken(String v) { agentToken = v; return this; }
        public Builder httpInstances(int v) { httpInstances = v; return this; }
        public Builder tenantWeights(TenantWeights v) { tenantWeights = v; return this; }
        public Builder notifications(NotifyConfig v) { notifications = v; return this; }
        public Builder limits(Limits v) { limits = v; return this; }
        public Builder tls(String certPath, String keyPath) { tlsCertPath = certPath; tlsKeyPath = keyPath; return this; }

        public SchedulerConfig build() {
            return new SchedulerConfig(nodeName, httpHost, httpPort, dataDir, clusterName, hazelcastHost, hazelcastPort,
                    members, kubernetesService, jdbcUrl, jdbcUser, jdbcPassword, blobDir, heartbeatInterval,
                    retryBackoff, defaultMaxAttempts, maxClaimWait, maxUploadBytes, bootstrapApiKey, agentToken,
                    httpInstances, tenantWeights, notifications, limits, tlsCertPath, tlsKeyPath);
        }
    }
}
