package io.cantor.model;

/** Where to tell the submitter about this job, besides the event streams. Both optional. */
public record Notify(String webhookUrl, String email) {
    public static final Notify NONE = new Notify(null, null);
}
