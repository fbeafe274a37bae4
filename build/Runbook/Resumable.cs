/// <summary>A step that runs a command on the instance; Ctrl+C during it says, after what is still running, how to resume.</summary>
static class Resumable
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> step, string resume)
    {
        try
        {
            return await step();
        }
        catch (RemoteCommandInterruptedException e)
        {
            throw e.Resumed(resume);
        }
    }

    public static Task RunAsync(Func<Task> step, string resume) => RunAsync(async () => { await step(); return true; }, resume);
}
