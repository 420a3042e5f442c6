// An ASP.NET Core minimal API acting for many users at once through one Mudbase client.
//
// The client is registered once with AddMudbaseClient (from the "Mudbase" section of appsettings.json) and each
// user of this API gets a Mudbase view of their own (UserSessions.cs): their session, refreshed and ended apart
// from everyone else's. The users themselves are told apart by the X-Sample-User header, which stands in for your
// app's real authentication (SampleUserAuthentication.cs).
//
// With Emulator:Enabled (the default) the app starts the local Mudbase emulator in-process and talks to it; set
// Emulator__Enabled=false, Mudbase__BaseUrl and Mudbase__ProjectId to talk to a real server instead.
// The SDK's activities (mudbase.auth.*) and metrics (mudbase.client.*) are exported to the console with OpenTelemetry.
//
//   dotnet run --project samples/Mudbase.Samples.WebApi
//   curl -i -X POST localhost:5000/signup -H 'X-Sample-User: alice' -H 'Content-Type: application/json' \
//        -d '{"email":"alice@northwind.dev","password":"Str0ng_Pass!w0rd","firstName":"Alice","lastName":"Liddell"}'
//   curl -i localhost:5000/me -H 'X-Sample-User: alice'
//   curl -i -X POST localhost:5000/logout -H 'X-Sample-User: alice'
using Mudbase.Samples.WebApi;

var app = await SampleApp.BuildAsync(args);
await app.RunAsync();   // serves until Ctrl+C, then stops the emulator with the rest of the app
