// Cold start, SDK side: process start to one completed CreateAnonymousAsync against a running emulator.
// Usage: ColdStart.Sdk [base URL]   (default $MUDBASE_BASE_URL, else http://127.0.0.1:18899/); COLDSTART_REPORT=1 prints JIT figures, COLDSTART_JITLOG=1 the JIT time by namespace.
using Mudbase;

ColdStart.StartupReport.StartIfAsked();
var url = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("MUDBASE_BASE_URL") ?? "http://127.0.0.1:18899/";
var projectId = Environment.GetEnvironmentVariable("MUDBASE_PROJECT_ID") ?? "685ad30be129932fbb7a1048";

using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = new Uri(url), ProjectId = projectId });
var session = await client.Auth.CreateAnonymousAsync();

ColdStart.StartupReport.PrintIfAsked("sdk", session.User.Id);
return string.IsNullOrEmpty(session.Token) ? 1 : 0;
