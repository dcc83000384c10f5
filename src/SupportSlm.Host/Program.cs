using SupportSlm.Host;
using SupportSlm.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddHostDefaults();
builder.AddTelemetry();
builder.Services.AddPersistence(builder.Configuration);
builder.Services.AddMigrateOnStartup();

var app = builder.Build();

app.UseHostDefaults();
app.MapHealthEndpoints();

return await app.RunReportingStartupErrorsAsync();

/// <summary>Entry point type, public so WebApplicationFactory can start the host in tests.</summary>
public partial class Program;
