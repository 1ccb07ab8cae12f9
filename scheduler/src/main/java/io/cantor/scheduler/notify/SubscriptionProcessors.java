package io.cantor.scheduler.notify;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.cantor.model.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Adds and removes a tenant's webhooks atomically. */
public final class SubscriptionProcessors implements DataSerializableFactory {
    public static final int FACTORY_ID = 7;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case 1 -> new Add();
            case 2 -> new Remove();
            default -> throw new IllegalArgumentException("unknown subscription processor " + typeId);
        };
    }

    /** False when the tenant already has {@link TenantWebhooks#LIMIT} webhooks. */
    static final class Add implements EntryProcessor<String, TenantWebhooks, Boolean>, IdentifiedDataSerializable {
        private String json;

        Add() {
        }

        Add(WebhookSubscription sub) {
            this.json = Json.write(sub);
        }

        @Override
        public Boolean process(Map.Entry<String, TenantWebhooks> entry) {
            List<WebhookSubscription> all = new ArrayList<>(entry.getValue() == null ? List.of() : entry.getValue().subscriptions());
            if (all.size() >= TenantWebhooks.LIMIT) {
                return false;
            }
            try {
                all.add(Json.read(json, WebhookSubscription.class));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            entry.setValue(new TenantWebhooks(all));
            return true;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return 1;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(json);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            json = in.readString();
        }
    }

    static final class Remove implements EntryProcessor<String, TenantWebhooks, Boolean>, IdentifiedDataSerializable {
        private String id;

        Remove() {
        }

        Remove(String id) {
            this.id = id;
        }

        @Override
        public Boolean process(Map.Entry<String, TenantWebhooks> entry) {
            if (entry.getValue() == null) {
                return false;
            }
            List<WebhookSubscription> all = new ArrayList<>(entry.getValue().subscriptions());
            boolean removed = all.removeIf(s -> s.id().equals(id));
            if (removed) {
                entry.setValue(all.isEmpty() ? null : new TenantWebhooks(all));
            }
            return removed;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return 2;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(id);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            id = in.readString();
        }
    }
}
