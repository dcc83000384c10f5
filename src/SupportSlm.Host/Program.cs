using SupportSlm.Admin;
using SupportSlm.Host;
using SupportSlm.Persistence;
using SupportSlm.Retrieval;
using SupportSlm.Sentiment;

var builder = WebApplication.CreateBuilder(args);

builder.AddHostDefaults();
builder.AddTelemetry();
builder.Services.AddPersistence(builder.Configuration);
builder.Services.AddMigrateOnStartup();
builder.Services.AddRetrieval(builder.Configuration);
builder.Services.AddSentiment(builder.Configuration);
builder.Services.AddAdmin(builder.Configuration);

var app = builder.Build();

app.UseHostDefaults();
app.MapHealthEndpoints();
app.MapAdmin();

return await app.RunReportingStartupErrorsAsync();

/// <summary>Entry point type, public so WebApplicationFactory can start the host in tests.</summary>
public partial class Program;
