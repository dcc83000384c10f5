using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Orchestration.Tests.Infrastructure;

/// <summary>Three help-center passages ([1] returns, [2] delivery, [3] refunds) and answers the scripted model gives about them.</summary>
public static class HelpCenter
{
    public static readonly KnowledgeHit Returns = FixedRetriever.Passage("Returns policy",
        "You can return most items within 30 days of delivery. Items must be unused and returned with the original tags attached.", 0.9);

    public static readonly KnowledgeHit Delivery = FixedRetriever.Passage("Delivery times",
        "Standard delivery takes 3 to 5 business days. Order before 2pm for next-day express delivery.", 0.7);

    public static readonly KnowledgeHit Refunds = FixedRetriever.Passage("Refunds",
        "Refunds go to the original payment method within 5 business days of your parcel arriving.", 0.6);

    public static readonly KnowledgeHit[] All = [Returns, Delivery, Refunds];

    /// <summary>Grounded in [3] and [1], cited in that order.</summary>
    public const string GroundedAnswer =
        "Refunds go to the original payment method within 5 business days [3]. You can return most items within 30 days of delivery [1].";

    /// <summary>Nothing of this is in the passages.</summary>
    public const string InventedAnswer = "Our Mars store sells rockets for 999 credits and ships them by teleporter.";
}
