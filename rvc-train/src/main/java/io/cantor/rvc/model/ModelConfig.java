package io.cantor.rvc.model;

import java.util.List;

/**
 * The layer sizes of an NSF generator, enough to rebuild it from {@code config.json}.
 *
 * @param size              {@code tiny}, {@code small} or {@code rvc}
 * @param sampleRate        output rate; {@code hop()} samples per 100 Hz frame
 * @param upsampleRates     per decoder stage (product = hop), RVC's {@code upsample_rates}
 * @param upsampleKernels   odd Conv1d kernel after each nearest-neighbour repeat (RVC's transposed-conv kernel + 1)
 * @param initialChannels   decoder width after {@code conv_pre}; halves at each stage
 * @param resblockKernels   kernel of each parallel residual block (RVC: 3, 7, 11)
 * @param resblockDilations dilations inside each residual block (RVC: 1, 3, 5)
 * @param hiddenChannels    width of the conditioning network (RVC's {@code hidden_channels} 192)
 * @param conditionLayers   residual convolutions in the conditioning network
 * @param speakerDim        speaker embedding width (RVC's {@code gin_channels} 256)
 * @param harmonics         overtones in the sine source besides the fundamental (RVC: 0)
 * @param segmentFrames     training segment length in frames (RVC: segment_size / hop)
 * @param contentDim        content feature width the generator reads
 */
public record ModelConfig(String size, int sampleRate, List<Integer> upsampleRates, List<Integer> upsampleKernels,
                          int initialChannels, List<Integer> resblockKernels, List<Integer> resblockDilations,
                          int hiddenChannels, int conditionLayers, int speakerDim, int harmonics, int segmentFrames,
                          int contentDim) {

    public static final int PITCH_BINS = 256;

    public ModelConfig {
        upsampleRates = List.copyOf(upsampleRates);
        upsampleKernels = List.copyOf(upsampleKernels);
        resblockKernels = List.copyOf(resblockKernels);
        resblockDilations = List.copyOf(resblockDilations);
        if (upsampleRates.size() != upsampleKernels.size()) {
            throw new IllegalArgumentException("one kernel per upsampling stage");
        }
        if (hop(upsampleRates) * 100 != sampleRate) {
            throw new IllegalArgumentException("upsample rates " + upsampleRates + " do not give 100 frames/s at " + sampleRate);
        }
    }

    /** Output samples per content/F0 frame (100 frames/s). */
    public int hop() {
        return hop(upsampleRates);
    }

    /** Channels after stage {@code i} (0-based): RVC halves them per stage; never below 16 (narrower layers cost the same, see {@link Conv}). */
    public int stageChannels(int i) {
        return Math.max(Math.min(16, initialChannels), initialChannels >> (i + 1));
    }

    public static ModelConfig of(String size, int sampleRate, int contentDim) {
        List<Integer> rates = switch (sampleRate) {
            case 32000 -> List.of(10, 8, 2, 2);
            case 40000 -> List.of(10, 10, 2, 2);
            case 48000 -> List.of(12, 10, 2, 2);
            default -> throw new IllegalArgumentException("sample rate must be 32000, 40000 or 48000: " + sampleRate);
        };
        // RVC's transposed-conv kernels are 2r (20/16/24 then 16/20 and 4, 4); one more makes them odd.
        List<Integer> rvcKernels = rates.stream().map(r -> 2 * r + 1).toList();
        List<Integer> light = rates.stream().map(r -> r + 1 + (r % 2 == 0 ? 0 : 1)).toList();
        int rvcSegment = switch (sampleRate) {
            case 32000 -> 40;
            case 40000 -> 32;
            default -> 36;
        };
        return switch (size) {
            case "tiny" -> new ModelConfig(size, sampleRate, rates, light, 64, List.of(3, 5), List.of(1, 3),
                    64, 2, 32, 24, 32, contentDim);
            case "small" -> new ModelConfig(size, sampleRate, rates, light, 128, List.of(3, 7, 11), List.of(1, 3, 5),
                    128, 3, 64, 24, 32, contentDim);
            case "rvc" -> new ModelConfig(size, sampleRate, rates, rvcKernels, 512, List.of(3, 7, 11), List.of(1, 3, 5),
                    192, 6, 256, 0, rvcSegment, contentDim);
            default -> throw new IllegalArgumentException("model size must be tiny, small or rvc: " + size);
        };
    }

    private static int hop(List<Integer> rates) {
        int hop = 1;
        for (int r : rates) {
            hop *= r;
        }
        return hop;
    }
}
