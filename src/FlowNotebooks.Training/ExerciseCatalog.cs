using FlowNotebooks.Training.Exercises;

namespace FlowNotebooks.Training;

/// <summary>The bundled exercises; the first is the default.</summary>
public static class ExerciseCatalog
{
    public static IReadOnlyList<Exercise> All { get; } = [VpcCompromiseExercise.Definition, CryptominerExercise.Definition, S3ExfiltrationExercise.Definition, BlindSpotExercise.Definition];

    public static Exercise Default => All[0];

    public static Exercise Find(string name) =>
        All.FirstOrDefault(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No exercise '{name}'. Exercises: {string.Join(", ", All.Select(e => e.Name))}.");
}
