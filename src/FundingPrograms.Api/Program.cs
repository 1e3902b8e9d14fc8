using FundingPrograms.ReferenceData;
using JasperFx;
using JasperFx.Core;
using Wolverine;
using Wolverine.ErrorHandling;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(ReferenceCatalogue.Instance);
builder.Services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Payments:Debtor").Get<FundingPrograms.Payments.PayingAuthority>()
    ?? new FundingPrograms.Payments.PayingAuthority());
builder.Services.AddWebPlumbing(builder.Configuration);
builder.ConfigureKestrel();
builder.Services.AddFundingRateLimits(builder.Configuration);
builder.Services.AddFundingCors(builder.Configuration);
builder.Services.AddFundingAuth();
builder.Services.AddEventStore(builder.Configuration);
builder.Services.AddWolverineHttp();
builder.Host.UseWolverine(opts =>
{
    opts.ApplicationAssembly = typeof(Program).Assembly;
    opts.Policies.AutoApplyTransactions();
    opts.Durability.EnableDeduplicatedResponses = true;
    opts.Policies.UseDurableLocalQueues();
    // Handlers that append begin their transaction before Marten reserves sequence numbers (see HandlerTransactionMiddleware).
    opts.Policies.AddMiddleware(typeof(HandlerTransactionMiddleware),
        chain => chain.Handlers.Any(h => h.Method.GetParameters().Any(p => p.ParameterType == typeof(IDocumentSession))));
    opts.Policies.OnException<ConcurrencyException>().RetryWithCooldown(50.Milliseconds(), 200.Milliseconds(), 1.Seconds());
    if (builder.Configuration.GetValue("Wolverine:Solo", builder.Environment.IsDevelopment()))
        opts.Durability.Mode = DurabilityMode.Solo;
    // Pre-generated handler code (dotnet run -- codegen write, in the release build) starts ~10x faster; dynamic is the default.
    if (builder.Configuration.GetValue("Wolverine:StaticCodegen", false))
        opts.CodeGeneration.TypeLoadMode = JasperFx.CodeGeneration.TypeLoadMode.Static;
});

var app = builder.Build();

app.UseCorrelation();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseServerLimits();
app.UseFundingCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseFundingRateLimits();
app.UseNilIdGuard();
app.UseAsOfQuery();
app.UseRequestBodyLimit(builder.Configuration.GetValue("Api:MaxRequestBodyBytes", 1024L * 1024));
app.UseNullBodyGuard();
app.UseInputGuard(builder.Configuration);
Outages.RetryAfterSeconds = builder.Configuration.GetValue("Api:RetryAfterSeconds", 5);

app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.UseSwaggerUI(o =>
{
    o.SwaggerEndpoint("/openapi/v1.json", "FundingPrograms v1");
    o.RoutePrefix = "swagger";
});
app.MapHealth();
FundingPrograms.Public.PublicSite.MapPublicSite(app);
app.MapWolverineEndpoints(opts =>
{
    opts.RequireAuthorizeOnAll();
    opts.AddMiddleware(typeof(EventMetadataMiddleware), chain => chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE"));
    opts.AddPolicy<CommandIdempotencyPolicy>();
    opts.AddPolicy<CommandGuardPolicy>();
});

if (args.Length > 0 && FundingPrograms.Audit.OpsCommands.Names.Contains(args[0]))
    return await FundingPrograms.Audit.OpsCommands.Run(app, args[0]);
return await app.RunJasperFxCommands(args);

public partial class Program;
