package io.cantor.rvc;

import io.cantor.model.TrainingParams;

import java.nio.file.Path;
import java.util.List;

/**
 * One training run's inputs.
 *
 * @param device     {@code cpu} or {@code gpu:N}, as the agent assigned it
 * @param workDir    scratch space owned by this run
 * @param resumeFrom a checkpoint zip of an earlier attempt of the same job, or null
 * @param baseModel  a model zip to start from (fine-tuning), or null
 */
public record TrainingRequest(String jobId, List<Path> recordings, TrainingParams params, String device,
                              Path workDir, Path resumeFrom, Path baseModel) {
    public TrainingRequest {
        recordings = List.copyOf(recordings);
    }
}
