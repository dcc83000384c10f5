using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Features;

namespace SupportSlm.Sentiment.Training;

/// <summary>A featurized example with the label scheme of its data set and its weight in the loss.</summary>
public sealed record TrainingExample(SparseVector Features, int Label, LabelScheme Scheme, float Weight);
