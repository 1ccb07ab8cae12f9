package io.cantor.scheduler.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fair-share weights: a tenant with weight 2 gets twice the claims of a tenant with weight 1 while
 * both have work waiting. Tenants not listed weigh {@code 1}.
 */
public record TenantWeights(Map<String, Double> weights) {
    public static final TenantWeights EQUAL = new TenantWeights(Map.of());

    public TenantWeights {
        weights = Map.copyOf(weights);
        weights.forEach((tenant, w) -> {
            if (!(w > 0) || w > 1000) {
                throw new IllegalArgumentException("weight of tenant " + tenant + " must be in (0, 1000]");
            }
        });
    }

    public double weight(String tenant) {
        return weights.getOrDefault(tenant, 1.0);
    }

    /** Parses {@code tenantA=2,tenantB=0.5}. */
    public static TenantWeights parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return EQUAL;
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("tenant weights look like tenantA=2,tenantB=1");
            }
            try {
                weights.put(pair.substring(0, eq).trim(), Double.parseDouble(pair.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight of " + pair.substring(0, eq).trim() + " is not a number");
            }
        }
        return new TenantWeights(weights);
    }
}
