package io.customerbus.crm.calls;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/**
 * A support call an agent logs. {@code callId} is optional: a client that sends its own id may
 * retry the request safely, the call is logged once.
 */
public record SupportCallRequest(
        UUID callId,
        @NotNull @Pattern(regexp = "phone|email|chat", message = "must be phone, email or chat")
                String channel,
        @NotBlank @Size(max = 2000) String summary) {}
