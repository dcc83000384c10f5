using SupportSlm.Training;

namespace SupportSlm.Finetune.Adapters;

/// <summary>One tokenized example: prompt then reply. Only reply tokens are targets (the model never learns to write prompts).</summary>
internal sealed record TrainingRow(int[] Tokens, int PromptLength)
{
    /// <summary>Positions fed to the model: every token but the last (which is only predicted).</summary>
    public int Length => Tokens.Length - 1;

    /// <summary>Writes the row at the start of <paramref name="inputs"/>/<paramref name="targets"/>; the rest is padding without loss.</summary>
    public void Fill(Span<int> inputs, Span<int> targets)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            bool real = i < Length;
            inputs[i] = real ? Tokens[i] : 0;   // any valid id: causal attention keeps padding out of the real positions
            targets[i] = real && i + 1 >= PromptLength ? Tokens[i + 1] : Loss.Ignore;
        }
    }
}
