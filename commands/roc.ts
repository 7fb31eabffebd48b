import { AttachmentBuilder, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { UserError } from '../src/platform/errors.js';
import { ROC_LIMITS, checkCsvAttachment, parseCsvSample, parseTextSample, type ScoredSample } from '../src/roc/input.js';

async function download(url: string, limit: number): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok || !res.body) throw new UserError('I could not download that attachment. Please try again.');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > limit) throw new UserError(`That file is larger than ${limit / 1024 / 1024} MB.`, 'limit');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const fmt = (x: number) => x.toFixed(4);

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('roc')
    .setDescription('ROC and precision-recall curves, AUC and AP for your labels and scores')
    .addStringOption((o) => o.setName('labels').setDescription('0/1 labels, comma or space separated: 1 0 1 1 0').setMaxLength(6000))
    .addStringOption((o) => o.setName('scores').setDescription('Scores in the same order: 0.9 0.2 0.7 0.6 0.1').setMaxLength(6000))
    .addAttachmentOption((o) => o.setName('file').setDescription('Or a CSV with columns label,score (up to 100,000 rows)'))
    .addNumberOption((o) => o.setName('threshold').setDescription('Mark the operating point for this score threshold')),
  summary: 'ROC and PR curves with AUC and AP from your labels and scores (text or CSV)',
  audience: 'members',
  async execute(interaction, { services }) {
    const labels = interaction.options.getString('labels');
    const scores = interaction.options.getString('scores');
    const file = interaction.options.getAttachment('file');
    const threshold = interaction.options.getNumber('threshold') ?? undefined;
    let sample: ScoredSample;
    if (file) {
      if (labels || scores) throw new UserError('Give either `labels` and `scores` as text, or a CSV `file`, not both.');
      checkCsvAttachment({ name: file.name, size: file.size, contentType: file.contentType });
      await interaction.deferReply();
      sample = parseCsvSample(await download(file.url, ROC_LIMITS.maxAttachmentBytes));
    } else {
      sample = parseTextSample(labels ?? '', scores ?? '');
      await interaction.deferReply();
    }
    const theme = await services.guilds.theme(interaction.guildId);
    const image = await services.renderer.rocPr(sample.labels, sample.scores, { theme, ...(threshold === undefined ? {} : { threshold }) });
    const m = image.metrics;
    const lines = [
      `**AUC = ${fmt(m.auc)}** · **AP = ${fmt(m.averagePrecision)}** · n = ${m.n.toLocaleString('en-US')} (${m.positives.toLocaleString('en-US')} positive, prevalence ${(m.prevalence * 100).toFixed(1)}%)`,
      'AUC counts tied scores as half a win (Mann-Whitney); AP is the step-wise average precision.',
    ];
    if (m.operatingPoint) {
      const op = m.operatingPoint;
      const pct = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
      lines.push(
        `At threshold ${op.threshold}: TPR ${pct(op.tpr)}, FPR ${pct(op.fpr)}, precision ${pct(op.precision)} (TP ${op.tp}, FP ${op.fp}, TN ${op.tn}, FN ${op.fn})`,
      );
    }
    await interaction.editReply({
      content: lines.join('\n'),
      files: [new AttachmentBuilder(image.png, { name: 'roc-pr.png', description: `ROC (AUC ${fmt(m.auc)}) and PR (AP ${fmt(m.averagePrecision)}) curves` })],
    });
  },
});
