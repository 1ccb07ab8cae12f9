package io.cantor.rvc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay) with RVC's settings (betas 0.8/0.99, eps 1e-9) whose moment
 * estimates can be saved and restored, so a resumed run continues with the same optimiser state
 * (DJL's built-in optimisers keep theirs private). Updates weights in place, outside autograd.
 */
public final class AdamW implements AutoCloseable {
    public static final float BETA1 = 0.8f;
    public static final float BETA2 = 0.99f;
    public static final float EPS = 1e-9f;
    public static final float WEIGHT_DECAY = 0.01f;

    private static final NDIndex ALL = new NDIndex("...");

    private final PairList<String, Parameter> parameters;
    private final NDManager manager;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long updates;

    public AdamW(PairList<String, Parameter> parameters, NDManager parent) {
        this.parameters = parameters;
        this.manager = parent.newSubManager();
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            first.put(p.getKey(), manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            second.put(p.getKey(), manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
        }
    }

    public long updates() {
        return updates;
    }

    /**
     * One update with the gradients autograd left on the weights, which are then zeroed. A step whose
     * gradients hold NaN or infinity is skipped, as RVC's GradScaler skips overflowed steps: applied,
     * it would poison every weight for good even when the loss itself was finite.
     *
     * @return whether the weights were updated
     */
    public boolean step(float learningRate) {
        if (!gradientsAreFinite()) {
            zeroGradients();
            return false;
        }
        updates++;
        float correction1 = (float) (1 - Math.pow(BETA1, updates));
        float correction2 = (float) (1 - Math.pow(BETA2, updates));
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (!w.hasGradient()) {
                continue;
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray g = w.getGradient();
                g.attach(scope);
                NDArray m = first.get(p.getKey());
                NDArray v = second.get(p.getKey());
                m.muli(BETA1).addi(g.mul(1 - BETA1));
                v.muli(BETA2).addi(g.square().muli(1 - BETA2));
                // m.div(...) and v.div(...) would belong to the moments' manager, which lives as long
                // as the optimiser: three weight-sized arrays per weight and step (about 30 MB a step
                // for a small content encoder) until the run ends. They belong to this step's scope.
                NDArray update = m.div(correction1);
                NDArray denominator = v.div(correction2);
                update.attach(scope);
                denominator.attach(scope);
                update.divi(denominator.sqrt().addi(EPS));
                w.muli(1 - learningRate * WEIGHT_DECAY).subi(update.muli(learningRate));
                clear(g);
            }
        }
        return true;
    }

    /** One reduction over all gradients, read back once: NaN and infinity survive a sum. */
    private boolean gradientsAreFinite() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray total = null;
            for (Pair<String, Parameter> p : parameters) {
                NDArray w = p.getValue().getArray();
                if (!w.hasGradient()) {
                    continue;
                }
                NDArray g = w.getGradient();
                g.attach(scope);
                NDArray sum = g.abs().sum();
                total = total == null ? sum : total.addi(sum);
            }
            return total == null || Float.isFinite(total.getFloat());
        }
    }

    /** Clears gradients without updating (e.g. after a step that was skipped). */
    public void zeroGradients() {
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (w.hasGradient()) {
                try (NDArray g = w.getGradient()) {
                    clear(g);
                }
            }
        }
    }

    /** Fills with zeros; multiplying by zero would keep NaN and turn infinity into NaN. */
    private static void clear(NDArray gradient) {
        gradient.set(ALL, 0f);
    }

    /**
     * A copy of the weights this optimiser updates and of its own state, on the weights' device,
     * to return to with {@link #restore} (training that spiked goes back to its best epoch).
     */
    public Snapshot snapshot() {
        NDManager copies = manager.newSubManager();
        Map<String, NDArray> weights = new LinkedHashMap<>();
        Map<String, NDArray> moments1 = new LinkedHashMap<>();
        Map<String, NDArray> moments2 = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : parameters) {
            weights.put(p.getKey(), copyInto(copies, p.getValue().getArray()));
            moments1.put(p.getKey(), copyInto(copies, first.get(p.getKey())));
            moments2.put(p.getKey(), copyInto(copies, second.get(p.getKey())));
        }
        return new Snapshot(copies, weights, moments1, moments2, updates);
    }

    /** Puts back the weights and optimiser state of {@code snapshot}, which stays usable. */
    public void restore(Snapshot snapshot) {
        for (Pair<String, Parameter> p : parameters) {
            p.getValue().getArray().set(ALL, snapshot.weights.get(p.getKey()));
            first.get(p.getKey()).set(ALL, snapshot.first.get(p.getKey()));
            second.get(p.getKey()).set(ALL, snapshot.second.get(p.getKey()));
        }
        updates = snapshot.updates;
        zeroGradients();
    }

    private static NDArray copyInto(NDManager target, NDArray array) {
        NDArray copy = array.duplicate();
        copy.attach(target);
        return copy;
    }

    /** Weights and optimiser state at one moment; close it to free the copies. */
    public static final class Snapshot implements AutoCloseable {
        private final NDManager manager;
        private final Map<String, NDArray> weights;
        private final Map<String, NDArray> first;
        private final Map<String, NDArray> second;
        private final long updates;

        private Snapshot(NDManager manager, Map<String, NDArray> weights, Map<String, NDArray> first,
                         Map<String, NDArray> second, long updates) {
            this.manager = manager;
            this.weights = weights;
            this.first = first;
            this.second = second;
            this.updates = updates;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeLong(updates);
        out.writeInt(first.size());
        for (String name : first.keySet()) {
            out.writeUTF(name);
            writeArray(out, first.get(name));
            writeArray(out, second.get(name));
        }
    }

    public void load(DataInputStream in) throws IOException {
        updates = in.readLong();
        int count = in.readInt();
        if (count != first.size()) {
            throw new IOException("optimiser state holds " + count + " parameters, the model has " + first.size());
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            NDArray m = first.get(name);
            if (m == null) {
                throw new IOException("optimiser state names an unknown parameter " + name);
            }
            try (NDArray a = readArray(in, m); NDArray b = readArray(in, m)) {
                m.set(a.toFloatArray());
                second.get(name).set(b.toFloatArray());
            }
        }
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private NDArray readArray(DataInputStream in, NDArray like) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        NDArray array = manager.decode(bytes);
        if (!array.getShape().equals(like.getShape())) {
            throw new IOException("optimiser state shape " + array.getShape() + " does not match " + like.getShape());
        }
        return array;
    }

    @Override
    public void close() {
        manager.close();
    }
}
