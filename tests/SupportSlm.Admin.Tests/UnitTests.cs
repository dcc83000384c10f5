using System.Buffers.Binary;
using System.IO.Compression;
using SupportSlm.Admin.Bots;
using SupportSlm.Admin.Components.Pages;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Admin.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData("/admin/bots", "/admin/bots")]
    [InlineData("/admin/conversations/1?x=2", "/admin/conversations/1?x=2")]
    [InlineData("https://evil.example/admin", "/admin")]
    [InlineData("//evil.example/admin", "/admin")]
    [InlineData("/\\evil.example", "/admin")]
    [InlineData("/admin\\..\\x", "/admin")]
    [InlineData(null, "/admin")]
    public void Sign_in_only_returns_to_portal_paths(string? returnUrl, string expected) =>
        Assert.Equal(expected, Login.LocalReturnUrl(returnUrl));

    [Fact]
    public void Teams_icons_are_valid_pngs_of_the_required_sizes()
    {
        var bot = new Bot("help", "Help", "prompt", Guid.NewGuid(), DateTimeOffset.UtcNow);
        using var zip = new ZipArchive(new MemoryStream(TeamsManifest.Package(bot, Guid.NewGuid().ToString(), new Uri("https://x.example"))));
        foreach (var (name, size) in new[] { ("color.png", 192), ("outline.png", 32) })
        {
            using var buffer = new MemoryStream();
            zip.GetEntry(name)!.Open().CopyTo(buffer);
            var png = buffer.ToArray();
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
            Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            // The IHDR CRC covers type and data: System.IO.Hashing is not referenced, so recompute it bitwise here.
            Assert.Equal(Crc32(png.AsSpan(12, 17)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(29)));
            var idatLength = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(33));
            using var pixels = new ZLibStream(new MemoryStream(png, 41, idatLength), CompressionMode.Decompress);
            using var raw = new MemoryStream();
            pixels.CopyTo(raw);
            Assert.Equal(size * (1 + size * 4), raw.Length);
        }
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
