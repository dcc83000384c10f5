namespace SupportSlm.Persistence.Tests;

public sealed class OptionsValidationTests
{
    private static string? Error(PersistenceOptions options)
    {
        var result = new PersistenceOptionsValidator().Validate(null, options);
        return result.Failed ? result.FailureMessage : null;
    }

    [Fact]
    public void Defaults_are_valid() =>
        Assert.Null(Error(new PersistenceOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N")) }));

    [Fact]
    public void Unknown_provider_names_the_setting_and_the_choices()
    {
        var message = Error(new PersistenceOptions { Provider = "Oracle" });
        Assert.Contains("Persistence:Provider 'Oracle'", message);
        Assert.Contains("Sqlite, SqlServer", message);
    }

    [Fact]
    public void SqlServer_needs_a_connection_string() =>
        Assert.Contains("Persistence:ConnectionString is required", Error(new PersistenceOptions { Provider = "SqlServer" }));

    [Theory]
    [InlineData("Sqlite", "Data Source=x.db;Bogus Key=1")]
    [InlineData("SqlServer", "Server=localhost;NotAKeyword=yes")]
    [InlineData("SqlServer", "this is not a connection string")]
    public void Malformed_connection_string_names_the_setting(string provider, string connectionString) =>
        Assert.Contains($"Persistence:ConnectionString is not a valid {provider}", Error(new PersistenceOptions { Provider = provider, ConnectionString = connectionString }));

    [Fact]
    public void Unwritable_data_directory_names_the_setting()
    {
        var file = Path.GetTempFileName(); // a file where a folder is expected can never be created or written into
        try
        {
            Assert.Contains($"Persistence:DataDirectory '{file}' cannot be used", Error(new PersistenceOptions { DataDirectory = file }));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
