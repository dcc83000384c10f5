using System.Security.Cryptography;
using System.Text;

namespace SupportSlm.Retrieval.Text;

/// <summary>Lower-case hex SHA-256, the form Domain expects for document and chunk hashes.</summary>
public static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));
}
