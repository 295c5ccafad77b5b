package bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cached read written the way Powertools for AWS Lambda (Java) does it: a
 * {@code ConcurrentHashMap<String, ValueNode>} data store with an {@code Instant} expiry, and
 * {@code getIfNotExpired(key, Instant.now(clock))} in front of the provider (Powertools'
 * {@code CacheManager} / {@code DataStore} / {@code BaseProvider.get}).
 */
public final class PowertoolsStyleCache {
    static final class ValueNode {
        final Object value;
        final Instant time;

        ValueNode(Object value, Instant time) {
            this.value = value;
            this.time = time;
        }
    }

    private final ConcurrentHashMap<String, ValueNode> store = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemDefaultZone();
    private final Duration maxAge;

    public PowertoolsStyleCache(Duration maxAge) {
        this.maxAge = maxAge;
    }

    public void put(String key, Object value) {
        store.put(key, new ValueNode(value, Instant.now(clock).plus(maxAge)));
    }

    private boolean hasExpired(String key, Instant now) {
        boolean hasExpired = !store.containsKey(key) || now.isAfter(store.get(key).time);
        if (hasExpired) {
            store.remove(key);
        }
        return hasExpired;
    }

    @SuppressWarnings("unchecked")
    public <T> Optional<T> getIfNotExpired(String key) {
        Instant now = Instant.now(clock);
        if (hasExpired(key, now)) {
            return Optional.empty();
        }
        return Optional.of((T) store.get(key).value);
    }

    /** BaseProvider.get: the cached value, or null (the provider would then fetch). */
    public String get(String key) {
        Optional<String> v = getIfNotExpired(key);
        return v.orElse(null);
    }
}
