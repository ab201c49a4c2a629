using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Hosting;

/// <summary>
/// Builds the live mood estimator: the CRNN (<see cref="DefaultMoodEstimator"/>) with a record of its recent window
/// estimates, wrapped by <see cref="PersonalizedMoodEstimator"/> over the operator's <see cref="FeedbackStore"/>.
/// A correction of a time span ("this passage is sad") becomes feedback records from the CRNN's own estimates of the
/// windows in that span, and the calibration is refitted at once. A missing or corrupt model is thrown (its message
/// names the file and the reason; the analysis stage logs it once): the analysis stage faults, the lights hold the safe look, the operator can still force moods,
/// and the supervisor retries with back-off, so a model copied back in place is picked up without a restart.
/// </summary>
public class MoodEstimatorFactory(IOptions<WebOptions> web, IOptions<AnalysisOptions> analysis, IHostEnvironment environment, ILogger<MoodEstimatorFactory> logger)
{
    private readonly Lock _gate = new();
    private FeedbackStore? _store;
    private EstimateHistory? _history;
    private PersonalizedMoodEstimator? _personalized;

    public string FeedbackPath => Path.Combine(environment.ContentRootPath, web.Value.FeedbackFile);

    public virtual IMoodEstimator Create()
    {
        IMoodEstimator crnn;
        try
        {
            crnn = DefaultMoodEstimator.CreateCrnn(analysis.Value.ModelFile is { Length: > 0 } file ? Path.Combine(environment.ContentRootPath, file) : null);
        }
        catch (MoodModelException)
        {
            // logged once, by the analysis stage that fails with it (its supervisor retries)
            lock (_gate)
            {
                _history = null;
                _personalized = null;
            }

            throw;
        }

        lock (_gate)
        {
            _store ??= OpenStore();
            _history = new EstimateHistory(crnn);
            _personalized = _store is null ? null : new PersonalizedMoodEstimator(_history, _store);
            return (IMoodEstimator?)_personalized ?? _history;
        }
    }

    /// <summary>Stores the correction of [start, end] as feedback from the windows analysed there; returns how many.</summary>
    public int Correct(double startSeconds, double endSeconds, Mood mood)
    {
        PersonalizedMoodEstimator personalized;
        IReadOnlyList<MoodEstimate> priors;
        lock (_gate)
        {
            personalized = _personalized ?? throw new InvalidOperationException(
                "corrections need the CRNN (its embedding) and a readable feedback file; see the log");
            priors = _history!.Between(startSeconds, endSeconds, maxCount: 12);
        }

        if (priors.Count == 0)
        {
            throw new ArgumentException($"no analysed audio between {startSeconds:0.0} s and {endSeconds:0.0} s");
        }

        personalized.CorrectAll(priors, startSeconds, endSeconds, mood);
        return priors.Count;
    }

    private FeedbackStore? OpenStore()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FeedbackPath)!);
            var store = FeedbackStore.Open(FeedbackPath);
            if (store.DroppedLine is not null)
            {
                logger.FeedbackRecordDropped(FeedbackPath);
            }

            return store;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException)
        {
            logger.FeedbackUnusable(e.Message);
            return null;
        }
    }

    /// <summary>Forwards to the CRNN and keeps its raw estimates of the last ~10 minutes by window time.</summary>
    private sealed class EstimateHistory(IMoodEstimator inner) : IMoodEstimator
    {
        private const int Capacity = 1200;
        private static readonly double HopSeconds = (double)MoodWindow.HopFrames * MelSpectrogramOptions.Default.HopSize / AnalysisFormat.SampleRate;
        private static readonly double WindowSeconds = (double)MoodWindow.Frames * MelSpectrogramOptions.Default.HopSize / AnalysisFormat.SampleRate;
        private readonly Lock _lock = new();
        private readonly MoodEstimate?[] _ring = new MoodEstimate?[Capacity];
        private long _count;

        public int ChromaBands => inner.ChromaBands;

        public MoodEstimate Estimate(ReadOnlySpan<float> melWindow)
        {
            var estimate = inner.Estimate(melWindow);
            lock (_lock)
            {
                _ring[_count % Capacity] = estimate;
                _count++;
            }

            return estimate;
        }

        /// <summary>Estimates of the windows whose centres lie in [start, end], at most <paramref name="maxCount"/> spread evenly.</summary>
        public IReadOnlyList<MoodEstimate> Between(double start, double end, int maxCount)
        {
            var found = new List<MoodEstimate>();
            lock (_lock)
            {
                for (var i = Math.Max(0, _count - Capacity); i < _count; i++)
                {
                    var centre = (i * HopSeconds) + (WindowSeconds / 2);
                    if (centre >= start && centre <= end && _ring[i % Capacity] is { } e)
                    {
                        found.Add(e);
                    }
                }
            }

            if (found.Count <= maxCount)
            {
                return found;
            }

            return [.. Enumerable.Range(0, maxCount).Select(k => found[k * found.Count / maxCount])];
        }
    }
}
