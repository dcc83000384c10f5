namespace SupportSlm.Finetune.Grounded;

/// <summary>
/// Which help-centre articles answer each of Bitext's 27 intents. A Bitext question becomes a grounded example only
/// when the retriever puts one of these articles among the passages; its answer is cut from that passage.
/// </summary>
public static class BitextIntentArticles
{
    public static readonly IReadOnlyDictionary<string, string[]> Map = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["cancel_order"] = ["orders-cancel-order"],
        ["change_order"] = ["orders-change-order"],
        ["place_order"] = ["orders-place-order"],
        ["track_order"] = ["orders-track-order"],
        ["check_invoice"] = ["invoices-download", "invoices-missing-invoice"],
        ["get_invoice"] = ["invoices-download", "invoices-missing-invoice"],
        ["delivery_period"] = ["shipping-delivery-times"],
        ["delivery_options"] = ["shipping-delivery-options", "shipping-pickup-points"],
        ["track_refund"] = ["returns-refund-timing"],
        ["get_refund"] = ["returns-how-to-return", "returns-refund-policy-situations"],
        ["check_refund_policy"] = ["returns-policy", "returns-refund-policy-situations"],
        ["edit_account"] = ["account-manage-profile", "account-change-email"],
        ["create_account"] = ["account-create"],
        ["switch_account"] = ["account-manage-profile", "account-change-email"],
        ["delete_account"] = ["account-delete"],
        ["recover_password"] = ["account-reset-password", "account-locked"],
        ["registration_problems"] = ["account-create"],
        ["review"] = ["contact-feedback-reviews"],
        ["check_cancellation_fee"] = ["orders-cancel-order"],
        ["contact_human_agent"] = ["contact-speak-to-human", "contact-live-chat"],
        ["contact_customer_service"] = ["contact-customer-service-hours", "contact-phone", "contact-email", "contact-live-chat"],
        ["check_payment_methods"] = ["payments-methods"],
        ["payment_issue"] = ["payments-failed-payment"],
        ["complaint"] = ["contact-complaints"],
        ["newsletter_subscription"] = ["promotions-newsletter"],
        ["change_shipping_address"] = ["shipping-change-address"],
        ["set_up_shipping_address"] = ["shipping-address-book"],
    };
}
