package io.cantor.rvc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/** An embedding table {@code [rows, width]}: RVC's {@code emb_pitch} and {@code emb_g}. */
public final class Table extends FixedBlock {
    private final int rows;
    private final int width;
    private final Parameter weight;

    public Table(int rows, int width) {
        this.rows = rows;
        this.width = width;
        // torch.nn.Embedding initialises N(0, 1)
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, width)).optInitializer(new NormalInitializer(1f)).build());
    }

    public int rows() {
        return rows;
    }

    public int width() {
        return width;
    }

    public Parameter weight() {
        return weight;
    }

    /** Rows for integer ids of any shape: {@code ids.shape + [width]} (torch's embedding; gradients reach the table). */
    public NDArray lookup(ParameterStore store, NDArray ids, boolean training) {
        NDArray w = store.getValue(weight, ids.getDevice(), training);
        return Embedding.embedding(ids.toType(DataType.INT64, false), w, SparseFormat.DENSE).singletonOrThrow();
    }
}
