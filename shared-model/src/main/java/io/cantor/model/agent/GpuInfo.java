package io.cantor.model.agent;

/** One GPU as the agent found it (nvidia-smi or DJL). */
public record GpuInfo(int index, String name, long memoryMb, String uuid) {
}
