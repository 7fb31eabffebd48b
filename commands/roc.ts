import { SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../src/app/context.js';
import { answerWhenReady } from '../src/platform/discord/replies.js';
import { UserError } from '../src/platform/errors.js';
import { rocAnswer } from '../src/roc/discord/views.js';
import { ROC_LIMITS, checkCsvAttachment, decodeCsv, parseCsvSample, parseTextSample, type CsvSample, type ScoredSample } from '../src/roc/input.js';

async function download(url: string, limit: number): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok || !res.body) throw new UserError('I could not download that attachment; please try again.');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > limit) throw new UserError(`That file is larger than ${limit / 1024 / 1024} MB.`, 'limit');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName('roc')
    .setDescription('ROC and precision-recall curves, AUC and AP for your labels and scores')
    .addStringOption((o) => o.setName('labels').setDescription('0/1 labels, comma or space separated: 1 0 1 1 0').setMaxLength(6000))
    .addStringOption((o) => o.setName('scores').setDescription('Scores in the same order: 0.9 0.2 0.7 0.6 0.1').setMaxLength(6000))
    .addAttachmentOption((o) => o.setName('file').setDescription('Or a CSV with a label and a score column (up to 100,000 rows)'))
    .addNumberOption((o) => o.setName('threshold').setDescription('Mark the operating point for this score threshold'))
    .addStringOption((o) => o.setName('label_column').setDescription("The CSV's label column, by header name or number (found by name if left out)").setMaxLength(60))
    .addStringOption((o) => o.setName('score_column').setDescription("The CSV's score column, by header name or number (found by name if left out)").setMaxLength(60)),
  summary: 'ROC and PR curves with AUC and AP from your labels and scores (text or a CSV, columns found by name)',
  audience: 'members',
  async execute(interaction, { services }) {
    const labels = interaction.options.getString('labels');
    const scores = interaction.options.getString('scores');
    const file = interaction.options.getAttachment('file');
    const threshold = interaction.options.getNumber('threshold') ?? undefined;
    const columns = { label: interaction.options.getString('label_column'), score: interaction.options.getString('score_column') };
    if (file && (labels || scores)) throw new UserError('Give either `labels` and `scores` as text, or a CSV `file`, not both.');
    if (!file && (columns.label || columns.score)) throw new UserError('`label_column` and `score_column` pick columns of a CSV `file`; attach one, or give `labels` and `scores` as text.');
    if (file) checkCsvAttachment({ name: file.name, size: file.size, contentType: file.contentType });
    // Everything is read and checked before anything is shown, so a mistake stays private.
    const answer = (async () => {
      let csv: CsvSample | null = null;
      let sample: ScoredSample;
      if (file) sample = csv = parseCsvSample(decodeCsv(await download(file.url, ROC_LIMITS.maxAttachmentBytes)), columns);
      else sample = parseTextSample(labels ?? '', scores ?? '');
      const theme = await services.guilds.theme(interaction.guildId);
      const image = await services.renderer.rocPr(sample.labels, sample.scores, { theme, ...(threshold === undefined ? {} : { threshold }) });
      return rocAnswer(image, sample, csv);
    })();
    await answerWhenReady(interaction, answer);
  },
});
