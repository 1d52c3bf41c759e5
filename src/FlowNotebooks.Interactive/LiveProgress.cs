using Microsoft.DotNet.Interactive;

namespace FlowNotebooks.Interactive;

/// <summary>Runs long work (a load, an acquisition) on a worker while the handler, which keeps the invocation context
/// that display updates need, shows its newest progress snapshot in one output updated in place.</summary>
internal static class LiveProgress
{
    static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    /// <summary>Shows <paramref name="initial"/>, runs <paramref name="work"/>, updates the display with each new snapshot
    /// and at the end with <paramref name="final"/> (given the result and the newest snapshot).</summary>
    public static async Task<TResult> RunAsync<TProgress, TResult>(KernelInvocationContext context, TProgress initial,
        Func<IProgress<TProgress>, Task<TResult>> work, Func<TResult, TProgress?, TProgress> final) where TProgress : class
    {
        var progress = new Latest<TProgress>();
        var shown = context.Display(initial, "text/html", "text/plain");
        var run = Task.Run(() => work(progress));
        TProgress? last = null;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(Refresh));
            if (progress.Newest is { } p && !p.Equals(last)) shown.Update(last = p);
        }
        var result = await run;
        shown.Update(final(result, progress.Newest));
        return result;
    }

    /// <summary>Keeps only the newest snapshot (engines report from timer threads).</summary>
    sealed class Latest<T> : IProgress<T> where T : class
    {
        T? newest;
        public T? Newest => Volatile.Read(ref newest);
        public void Report(T value) => Volatile.Write(ref newest, value);
    }
}
