namespace Mudbase.Functions;

/// <summary>
/// A function run did not succeed: it failed or timed out on the server. <see cref="Execution"/> has its error, error
/// class and logs. The HTTP calls themselves succeeded; a failed call is another <see cref="MudbaseException"/>.
/// </summary>
public class MudbaseFunctionException : MudbaseException
{
    /// <summary>Creates the exception, for tests and fakes.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="execution">The run, as last seen.</param>
    public MudbaseFunctionException(string message, FunctionExecution execution)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(execution);
        Execution = execution;
    }

    /// <summary>The run as last seen: its status, error, error class and logs, and the ids to read it again.</summary>
    public FunctionExecution Execution { get; }
}

/// <summary>
/// The wait gave up (<see cref="FunctionWaitOptions.Timeout"/> passed) before the run ended. The run goes on:
/// <see cref="MudbaseFunctionException.Execution"/> is the last status seen, and <see cref="IMudbaseFunctions.WaitAsync"/>
/// with it waits again.
/// </summary>
public sealed class MudbaseFunctionTimeoutException : MudbaseFunctionException
{
    /// <summary>Creates the exception, for tests and fakes.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="execution">The run, as last seen.</param>
    public MudbaseFunctionTimeoutException(string message, FunctionExecution execution)
        : base(message, execution)
    {
    }
}
