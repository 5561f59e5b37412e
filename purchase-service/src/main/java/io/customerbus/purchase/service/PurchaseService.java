package io.customerbus.purchase.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.json.CustomerEventSchema;
import io.customerbus.events.kafka.TraceContext;
import io.customerbus.purchase.domain.Purchase;
import io.customerbus.purchase.rest.PurchasePage;
import io.customerbus.purchase.rest.PurchaseRequest;
import io.customerbus.purchase.rest.PurchaseView;
import io.customerbus.runtime.outbox.OutboxWriter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Purchases and refunds. Each writes its row and its event to the outbox in one transaction, so a
 * success reported to the client always reaches the bus.
 */
@ApplicationScoped
public class PurchaseService {

    public static final String SOURCE = "purchase-service";

    /** What a command produced: the HTTP status and the purchase as it was then. */
    public record Outcome(int status, PurchaseView purchase) {}

    private final CustomerEventFactory events = new CustomerEventFactory(SOURCE);

    @Inject OutboxWriter outbox;
    @Inject IdempotencyStore idempotencyKeys;
    @Inject ObjectMapper json;
    @Inject MeterRegistry registry;

    @Transactional
    public Outcome create(
            Caller caller,
            PurchaseRequest request,
            String idempotencyKey,
            Optional<TraceContext> trace) {
        String userId = caller.actingFor(request.userId());
        return idempotently(
                userId,
                "create",
                idempotencyKey,
                request,
                () -> {
                    Purchase purchase = new Purchase();
                    purchase.id = UUID.randomUUID();
                    purchase.userId = userId;
                    purchase.productId = request.productId();
                    purchase.quantity = request.quantity();
                    purchase.unitPrice = request.unitPrice();
                    purchase.totalPrice =
                            request.unitPrice()
                                    .multiply(java.math.BigDecimal.valueOf(request.quantity()));
                    purchase.currency = request.currency();
                    // The customer's own address travels with the event, so subscribers need not
                    // call back — when it is one the event can carry: a token's claim the
                    // customer cannot change must not refuse their every purchase.
                    String email =
                            userId.equals(caller.userId())
                                            && CustomerEventSchema.isEmail(caller.email())
                                    ? caller.email()
                                    : null;
                    CustomerEvent event =
                            events.create(
                                    EventTypes.PURCHASE,
                                    userId,
                                    purchase.productId,
                                    purchaseData(purchase, email));
                    purchase.createdAt = event.occurredAt();
                    purchase.eventId = event.eventId();
                    purchase.persist();
                    outbox.append(event, trace);
                    registry.counter("purchases.created", "currency", purchase.currency)
                            .increment();
                    return new Outcome(201, PurchaseView.from(purchase));
                });
    }

    @Transactional
    public Outcome refund(
            Caller caller, UUID purchaseId, String idempotencyKey, Optional<TraceContext> trace) {
        Purchase purchase = Purchase.findById(purchaseId, LockModeType.PESSIMISTIC_WRITE);
        if (purchase == null) {
            throw new NotFoundException("no purchase " + purchaseId);
        }
        caller.requireAccessTo(purchase.userId);
        return idempotently(
                purchase.userId,
                "refund",
                idempotencyKey,
                purchaseId,
                () -> {
                    if (purchase.isRefunded()) {
                        throw new ClientErrorException(
                                "purchase " + purchaseId + " was already refunded", 409);
                    }
                    CustomerEvent event =
                            events.create(
                                    EventTypes.REFUND,
                                    purchase.userId,
                                    purchase.productId,
                                    Map.of(
                                            "purchaseId", purchase.id.toString(),
                                            "quantity", purchase.quantity,
                                            "amount", purchase.totalPrice,
                                            "currency", purchase.currency));
                    purchase.refundedAt = event.occurredAt();
                    purchase.refundEventId = event.eventId();
                    outbox.append(event, trace);
                    registry.counter("purchases.refunded", "currency", purchase.currency)
                            .increment();
                    return new Outcome(200, PurchaseView.from(purchase));
                });
    }

    @Transactional
    public PurchaseView find(Caller caller, UUID purchaseId) {
        Purchase purchase = Purchase.findById(purchaseId);
        if (purchase == null) {
            throw new NotFoundException("no purchase " + purchaseId);
        }
        caller.requireAccessTo(purchase.userId);
        return PurchaseView.from(purchase);
    }

    @Transactional
    public PurchasePage list(Caller caller, String userId, int page, int size) {
        String owner = caller.actingFor(userId);
        List<PurchaseView> items =
                Purchase.pageOf(owner, page, size).stream().map(PurchaseView::from).toList();
        return new PurchasePage(items, page, size, Purchase.countOf(owner));
    }

    private Outcome idempotently(
            String userId,
            String operation,
            String key,
            Object request,
            Supplier<Outcome> command) {
        if (key == null) {
            return command.get();
        }
        Optional<IdempotencyStore.StoredResponse> earlier =
                idempotencyKeys.claim(
                        userId, operation, key, RequestHash.of(json, operation, userId, request));
        if (earlier.isPresent()) {
            return new Outcome(earlier.get().status(), read(earlier.get().body()));
        }
        Outcome outcome = command.get();
        idempotencyKeys.complete(
                userId, operation, key, outcome.status(), write(outcome.purchase()));
        return outcome;
    }

    private static Map<String, Object> purchaseData(Purchase purchase, String email) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("purchaseId", purchase.id.toString());
        data.put("quantity", purchase.quantity);
        data.put("unitPrice", purchase.unitPrice);
        data.put("totalPrice", purchase.totalPrice);
        data.put("currency", purchase.currency);
        if (email != null) {
            data.put("email", email);
        }
        return data;
    }

    private PurchaseView read(String body) {
        try {
            return json.readValue(body, PurchaseView.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idempotent response is unreadable", e);
        }
    }

    private String write(PurchaseView view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("purchase view is always writable", e);
        }
    }
}
