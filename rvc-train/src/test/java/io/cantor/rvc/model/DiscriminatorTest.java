package io.cantor.rvc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscriminatorTest {

    @Test
    void eachPeriodFoldsTheWaveAndScoresWithLsganLosses() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiPeriodDiscriminator d = new MultiPeriodDiscriminator("tiny");
            d.initialize(m);
            ParameterStore store = new ParameterStore(m, false);
            NDArray wave = m.randomNormal(new Shape(2, 3200)).mul(0.1f);
            List<List<NDArray>> maps = d.apply(store, wave, false);
            assertEquals(MultiPeriodDiscriminator.PERIODS.length, maps.size());
            for (int i = 0; i < maps.size(); i++) {
                int p = MultiPeriodDiscriminator.PERIODS[i];
                NDArray score = maps.get(i).get(maps.get(i).size() - 1);
                assertEquals(5, maps.get(i).size()); // 4 strided layers + the score
                assertEquals(1, score.getShape().get(1));
                assertEquals(p, score.getShape().get(3)); // one column per phase of the period
                assertEquals(16, maps.get(i).get(0).getShape().get(1));
            }
            // identical real and fake: feature matching is zero, and D's loss is the sum of both LSGAN halves
            NDArray fm = d.generatorLoss(maps, maps);
            NDArray expected = null;
            for (List<NDArray> period : maps) {
                NDArray s = period.get(period.size() - 1);
                NDArray t = s.sub(1).square().mean().add(s.square().mean());
                expected = expected == null ? t : expected.add(t);
            }
            assertEquals(expected.getFloat(), d.discriminatorLoss(maps, maps).getFloat(), 1e-5);
            assertTrue(fm.getFloat() > 0);
        }
    }
}
