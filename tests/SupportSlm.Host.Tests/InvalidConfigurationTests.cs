using Microsoft.Extensions.Options;

namespace SupportSlm.Host.Tests;

public sealed class InvalidConfigurationTests
{
    [Fact]
    public void Startup_error_description_is_one_line_for_expected_failures_and_null_for_bugs()
    {
        var validation = new OptionsValidationException("Persistence", typeof(object), ["Persistence:Provider 'x' is not supported."]);
        Assert.Equal("Persistence:Provider 'x' is not supported.", StartupErrors.Describe(validation));
        Assert.Equal("Persistence:Provider 'x' is not supported.", StartupErrors.Describe(new AggregateException(validation)));
        Assert.Null(StartupErrors.Describe(new NullReferenceException()));
    }
}
