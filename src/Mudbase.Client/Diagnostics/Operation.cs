using System.Diagnostics;

namespace Mudbase.Diagnostics;

/// <summary>
/// Runs one SDK operation (<c>mudbase.auth.register</c>, …) as an activity that records its failure: the one place
/// every facade method goes through, so that a facade method reads as its checks, one call and its mapping.
/// </summary>
/// <remarks>
/// The call is a static lambda given its state (<c>static (auth, body, ct) =&gt; …</c>): no closure and no delegate
/// are allocated per call, and when nobody listens the call's own task is returned as it is. Arguments are checked by
/// the facade before it gets here: wrong arguments throw at once and start no operation.
/// </remarks>
internal static class Operation
{
    /// <summary>Runs <paramref name="call"/> as the operation <paramref name="name"/>.</summary>
    public static Task<TResult> RunAsync<TOwner, TArg, TResult>(
        string name, TOwner owner, TArg arg, Func<TOwner, TArg, CancellationToken, Task<TResult>> call, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var parent = Activity.Current;
        var activity = MudbaseDiagnostics.ActivitySource.StartActivity(name, ActivityKind.Internal);
        if (activity is null)
        {
            return call(owner, arg, cancellationToken);
        }

        Task<TResult> task;
        try
        {
            task = call(owner, arg, cancellationToken);
        }
        catch (Exception ex)
        {
            task = Task.FromException<TResult>(ex);
        }
        finally
        {
            // Not an async method: the activity became current in the caller's context. The call has captured it (its
            // continuations run under it); the caller goes on under its own parent.
            Activity.Current = parent;
        }

        return TraceAsync(activity, task);
    }

    /// <summary>Runs <paramref name="call"/> as the operation <paramref name="name"/> and maps its answer to the public result.</summary>
    public static Task<TResult> RunAsync<TOwner, TArg, TResponse, TResult>(
        string name, TOwner owner, TArg arg, Func<TOwner, TArg, CancellationToken, Task<TResponse>> call, Func<TResponse, TResult> map,
        CancellationToken cancellationToken) =>
        RunAsync(name, (owner, arg, call, map), 0, static async (state, _, ct) =>
            state.map(await state.call(state.owner, state.arg, ct).ConfigureAwait(false)), cancellationToken);

    /// <summary>Runs <paramref name="call"/>, which has no result, as the operation <paramref name="name"/>.</summary>
    public static Task RunAsync<TOwner, TArg>(
        string name, TOwner owner, TArg arg, Func<TOwner, TArg, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        if (!MudbaseDiagnostics.ActivitySource.HasListeners())
        {
            // Nobody listens: the call's own task, with nothing wrapped around it.
            return cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : call(owner, arg, cancellationToken);
        }

        return RunAsync(name, (owner, arg, call), 0, static async (state, _, ct) =>
        {
            await state.call(state.owner, state.arg, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="call"/>, which needs nothing but its owner, as the operation <paramref name="name"/>.</summary>
    public static Task<TResult> RunAsync<TOwner, TResult>(
        string name, TOwner owner, Func<TOwner, CancellationToken, Task<TResult>> call, CancellationToken cancellationToken) =>
        RunAsync(name, owner, call, static (owner, call, ct) => call(owner, ct), cancellationToken);

    /// <summary>Runs <paramref name="call"/>, which needs nothing but its owner and has no result, as the operation <paramref name="name"/>.</summary>
    public static Task RunAsync<TOwner>(string name, TOwner owner, Func<TOwner, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync(name, owner, call, static (owner, call, ct) => call(owner, ct), cancellationToken);

    private static async Task<TResult> TraceAsync<TResult>(Activity activity, Task<TResult> task)
    {
        using (activity)
        {
            try
            {
                return await task.ConfigureAwait(false);
            }
            catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
            {
                throw; // not reached: the filter only records the failure on the activity
            }
        }
    }
}
