package io.cantor.rvc.content;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Content features from a TorchScript HuBERT/ContentVec module configured on the agent (never
 * downloaded). The module must take one float32 tensor {@code [1, samples]} of 16 kHz audio in
 * [-1, 1] and return the features RVC v2 uses: the output of HuBERT base's last transformer layer
 * ({@code extract_features(..., output_layer=12)}, no {@code final_proj}), 768 values per 20 ms
 * frame, as {@code [1, frames, 768]} (a tuple or list whose first element is that tensor also
 * works, as does {@code [frames, 768]}). Example export:
 * <pre>
 * class Rvc(torch.nn.Module):
 *     def __init__(self, hubert): super().__init__(); self.h = hubert
 *     def forward(self, wav): return self.h.extract_features(wav, padding_mask=None, output_layer=12)[0]
 * torch.jit.trace(Rvc(hubert).eval(), torch.zeros(1, 16000)).save("hubert_rvc.pt")
 * </pre>
 */
public final class TorchScriptContentEncoder implements ContentEncoder {
    public static final String KIND = "torchscript";

    private final Model model;
    private final NDManager manager;
    private int dim = -1;

    public TorchScriptContentEncoder(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("content encoder model not found: " + file);
        }
        model = Model.newInstance("content-encoder", Device.cpu(), "PyTorch");
        try {
            model.load(file);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load TorchScript content encoder " + file + ": " + e.getMessage(), e);
        }
        manager = model.getNDManager().newSubManager();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Feature width; probed with one second of silence the first time it is asked. */
    @Override
    public synchronized int dim() {
        if (dim < 0) {
            dim = encode(new float[16000])[0].length;
        }
        return dim;
    }

    @Override
    public synchronized float[][] encode(float[] audio16k) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray wav = scope.create(audio16k, new Shape(1, audio16k.length));
            NDList out = model.getBlock().forward(new ParameterStore(scope, false), new NDList(wav), false);
            NDArray features = out.get(0);
            Shape shape = features.getShape();
            if (shape.dimension() == 3 && shape.get(0) == 1) {
                features = features.squeeze(0);
                shape = features.getShape();
            }
            if (shape.dimension() != 2) {
                throw new IllegalStateException("the content encoder must return [1, frames, dim], got " + out.get(0).getShape());
            }
            int frames = (int) shape.get(0);
            int width = (int) shape.get(1);
            float[] flat = features.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            float[][] result = new float[Math.max(frames, 1)][width];
            for (int t = 0; t < frames; t++) {
                System.arraycopy(flat, t * width, result[t], 0, width);
            }
            dim = width;
            return result;
        }
    }

    @Override
    public void close() {
        manager.close();
        model.close();
    }
}
