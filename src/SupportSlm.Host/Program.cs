using SupportSlm.Admin;
using SupportSlm.Channels.Hosting;
using SupportSlm.Finetune;
using SupportSlm.Host;
using SupportSlm.Orchestration.Hosting;
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
builder.AddLanguageModel();
builder.Services.AddOrchestration(builder.Configuration);
builder.Services.AddDefaultBot(builder.Configuration);
builder.Services.AddChannels(builder.Configuration);
builder.Services.AddAgentReplies();
builder.Services.AddFineTuning(builder.Configuration);
builder.Services.AddAdmin(builder.Configuration);
builder.AddModelTools();

var app = builder.Build();

app.UseHostDefaults();
app.UseChannels();
app.MapHealthEndpoints();
app.MapHomePage();
app.MapChannels();
app.MapAdmin();

return await app.RunReportingStartupErrorsAsync();

/// <summary>Entry point type, public so WebApplicationFactory can start the host in tests.</summary>
public partial class Program;
