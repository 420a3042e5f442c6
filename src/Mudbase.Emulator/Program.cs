// The standalone emulator: `dotnet run --project src/Mudbase.Emulator [-- --port N] [--no-rate-limits] [--access-token-lifetime S]`.
using System.Globalization;
using System.Runtime.InteropServices;
using Mudbase.Emulator;

const int DefaultPort = 8787;
const string Usage = """
    Usage: Mudbase.Emulator [--port N] [--no-rate-limits] [--access-token-lifetime S]
      --port N                   port on 127.0.0.1 (default 8787, or MUDBASE_EMULATOR_PORT)
      --no-rate-limits           turn off the hosted service's per-IP rate limits
      --access-token-lifetime S  access tokens expire after S seconds (default 86400);
                                 short ones let an app see its tokens expire and refresh
    """;

var options = new MudbaseEmulatorOptions { Port = DefaultPort };
if (Environment.GetEnvironmentVariable("MUDBASE_EMULATOR_PORT") is { Length: > 0 } portVariable && !TrySetPort(options, portVariable))
{
    return Fail($"MUDBASE_EMULATOR_PORT is not a port number: {portVariable}");
}

for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port":
            if (++i == args.Length || !TrySetPort(options, args[i]))
            {
                return Fail("--port needs a port number from 0 to 65535.");
            }

            break;
        case "--no-rate-limits":
            options.EnableRateLimits = false;
            break;
        case "--access-token-lifetime":
            if (++i == args.Length || !TryParseSeconds(args[i], out var lifetime))
            {
                return Fail("--access-token-lifetime needs a whole number of seconds, from 1 to 31622400 (366 days).");
            }

            options.AccessTokenLifetime = lifetime;
            break;
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        default:
            return Fail($"Unexpected argument: {args[i]}");
    }
}

MudbaseEmulator emulator;
try
{
    emulator = await MudbaseEmulator.StartAsync(options);
}
catch (IOException exception)
{
    Console.Error.WriteLine($"Could not listen on port {options.Port}: {exception.Message}");
    return 1;
}

await using (emulator)
{
    var stopped = new TaskCompletionSource();
    // Cancel the default exit so that the server is disposed cleanly before the process ends.
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

    Console.WriteLine($"""
        Mudbase emulator listening on {emulator.BaseUrl}
          Project (email verification on):   {emulator.DefaultProjectId}
          Project (email verification off):  {emulator.NoVerificationProjectId}
          Rate limits:                       {(options.EnableRateLimits ? "on (hosted defaults)" : "off")}
          Access tokens expire after:        {(long)options.AccessTokenLifetime.TotalSeconds} s
          Outbox (emails and SMS not sent):  {emulator.BaseUrl}emulator/outbox?to=<email or phone>
        Press Ctrl+C to stop.
        """);
    await stopped.Task;
    Console.WriteLine("Stopping.");

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stopped.TrySetResult();
    }
}

return 0;

static bool TrySetPort(MudbaseEmulatorOptions options, string value)
{
    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
    {
        return false;
    }

    options.Port = port;
    return true;
}

static bool TryParseSeconds(string value, out TimeSpan lifetime)
{
    // Up to a year: anything longer is no test of expiry, and TimeSpan arithmetic stays far from overflow.
    var valid = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 366 * 24 * 3600;
    lifetime = TimeSpan.FromSeconds(valid ? seconds : 0);
    return valid;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    Console.Error.WriteLine(Usage);
    return 2;
}
