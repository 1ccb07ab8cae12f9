package io.cantor.model;

/**
 * What the submitter asked for. Never changes after submission.
 *
 * @param priority    higher runs first within a tenant's share (-100..100)
 * @param maxAttempts how many times a lost lease or retryable failure may run the job
 */
public record JobSpec(JobKind kind, String datasetId, TrainingParams params, ConversionParams conversion,
                      int priority, int maxAttempts, ResourceRequest resources, String idempotencyKey,
                      Notify notifications) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    public JobSpec {
        resources = resources == null ? ResourceRequest.ANY : resources;
        notifications = notifications == null ? Notify.NONE : notifications;
    }

    public static JobSpec training(String datasetId, TrainingParams params, int priority, ResourceRequest resources) {
        return new JobSpec(JobKind.TRAIN, datasetId, params, null, priority, DEFAULT_MAX_ATTEMPTS, resources, null,
                Notify.NONE);
    }

    public JobSpec withIdempotencyKey(String key) {
        return new JobSpec(kind, datasetId, params, conversion, priority, maxAttempts, resources, key, notifications);
    }

    public JobSpec withNotifications(Notify n) {
        return new JobSpec(kind, datasetId, params, conversion, priority, maxAttempts, resources, idempotencyKey, n);
    }

    public JobSpec withMaxAttempts(int attempts) {
        return new JobSpec(kind, datasetId, params, conversion, priority, attempts, resources, idempotencyKey, notifications);
    }
}
