package io.cantor.scheduler.auth;

import java.util.Set;

/** Who is calling: the tenant whose data they see and what they may do. */
public record Principal(String keyId, String tenant, Set<Role> roles) {
    public boolean may(Role needed) {
        return roles.stream().anyMatch(r -> r.grants(needed));
    }
}
