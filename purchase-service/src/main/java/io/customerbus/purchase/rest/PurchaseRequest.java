package io.customerbus.purchase.rest;

import io.customerbus.runtime.http.StorableText;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** The body of {@code POST /purchases}; {@code userId} only for the purchase-admin role. */
public record PurchaseRequest(
        @NotBlank
                @Size(max = 128)
                @Pattern(
                        regexp = "[A-Za-z0-9._:-]+",
                        message = "must be letters, digits or . _ : -")
                String productId,
        @NotNull @Min(1) @Max(10_000) Integer quantity,
        @NotNull @DecimalMin("0.00") @DecimalMax("1000000.00") @Digits(integer = 7, fraction = 2)
                BigDecimal unitPrice,
        @NotNull @IsoCurrency String currency,
        @Pattern(regexp = StorableText.USER_ID, message = StorableText.USER_ID_MESSAGE)
                String userId) {}
