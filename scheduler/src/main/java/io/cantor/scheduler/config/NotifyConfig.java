package io.cantor.scheduler.config;

import java.time.Duration;

/**
 * How Cantor tells users about their jobs.
 *
 * @param retryInitial        delay before the second attempt of a failed delivery
 * @param retryMax            longest delay between attempts
 * @param giveUpAfter         a delivery that has failed for this long is dropped (and logged)
 * @param allowPrivateTargets whether webhooks may point at loopback or private networks (SSRF guard)
 * @param smtpHost            SMTP server for e-mail; null disables e-mail
 */
public record NotifyConfig(Duration retryInitial, Duration retryMax, Duration giveUpAfter, boolean allowPrivateTargets,
                           String smtpHost, int smtpPort, String smtpFrom, String smtpUser, String smtpPassword,
                           boolean smtpStartTls, String publicUrl) {

    public static final NotifyConfig DEFAULTS = new NotifyConfig(Duration.ofSeconds(5), Duration.ofHours(1),
            Duration.ofHours(24), false, null, 25, "cantor@localhost", null, null, false, null);

    public NotifyConfig withRetry(Duration initial, Duration max, Duration giveUp) {
        return new NotifyConfig(initial, max, giveUp, allowPrivateTargets, smtpHost, smtpPort, smtpFrom, smtpUser,
                smtpPassword, smtpStartTls, publicUrl);
    }

    public NotifyConfig allowingPrivateTargets(boolean allow) {
        return new NotifyConfig(retryInitial, retryMax, giveUpAfter, allow, smtpHost, smtpPort, smtpFrom, smtpUser,
                smtpPassword, smtpStartTls, publicUrl);
    }

    public NotifyConfig withSmtp(String host, int port, String from, String user, String password, boolean startTls) {
        return new NotifyConfig(retryInitial, retryMax, giveUpAfter, allowPrivateTargets, host, port, from, user,
                password, startTls, publicUrl);
    }

    public NotifyConfig withPublicUrl(String url) {
        return new NotifyConfig(retryInitial, retryMax, giveUpAfter, allowPrivateTargets, smtpHost, smtpPort, smtpFrom,
                smtpUser, smtpPassword, smtpStartTls, url);
    }

    public boolean emailEnabled() {
        return smtpHost != null && !smtpHost.isBlank();
    }
}
