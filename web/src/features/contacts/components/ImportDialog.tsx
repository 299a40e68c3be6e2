import { FileUp } from 'lucide-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/Dialog';
import { errorMessage } from '@/lib/errorMessage';
import { useImportContacts } from '../api/importContacts';
import type { ImportReport } from '../api/keys';

export const IMPORT_HEADER = 'name,email,phone,lead_status,custom_attributes';

/** The problem codes the server reports per row (`ImportError.code`). */
const PROBLEM_CODES = [
  'blank',
  'too_long',
  'too_large',
  'invalid_email',
  'invalid_phone_length',
  'invalid_phone_characters',
  'invalid_lead_status',
  'invalid_json',
  'not_an_object',
  'invalid_attribute_key',
  'invalid_time',
  'contact_exists',
  'other_contact',
  'unreadable',
  'save_failed',
  'invalid',
] as const;
type ProblemCode = (typeof PROBLEM_CODES)[number];

function isProblemCode(code: string): code is ProblemCode {
  return (PROBLEM_CODES as readonly string[]).includes(code);
}
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** Upload a CSV, then show what was created and updated and every row that failed, and why. */
export function ImportDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  const importer = useImportContacts();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  const reset = () => {
    setFile(null);
    setReport(null);
    setError(null);
    importer.reset();
  };

  const run = async () => {
    if (file === null) {
      setError(t('contacts.import.chooseFile'));
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      setError(t('errors.payload_too_large'));
      return;
    }
    setError(null);
    try {
      const csv = await file.text();
      const result = await importer.mutateAsync(csv);
      setReport(result);
      toast.success(t('contacts.import.done', { created: result.created, updated: result.updated }));
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset();
        onOpenChange(next);
      }}
    >
      <DialogContent title={t('contacts.import.title')} description={t('contacts.import.description')} closeLabel={t('common.close')} className="sm:max-w-xl">
        {report === null ? (
          <div className="space-y-3">
            <p className="text-[13px] text-slate-600">
              {t('contacts.import.header')} <code className="rounded bg-slate-100 px-1 py-0.5 text-xs text-slate-800">{IMPORT_HEADER}</code>
            </p>
            <div>
              <label htmlFor={inputId} className="mb-1 block text-[13px] font-medium text-slate-700">
                {t('contacts.import.file')}
              </label>
              <input
                id={inputId}
                type="file"
                accept=".csv,text/csv"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setError(null);
                }}
                className="block w-full text-[13px] text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-[13px] file:font-medium file:text-slate-800 hover:file:bg-slate-50"
              />
            </div>
            {error && <Alert>{error}</Alert>}
            <DialogFooter>
              <Button
                variant="secondary"
                onClick={() => {
                  onOpenChange(false);
                  reset();
                }}
              >
                {t('common.cancel')}
              </Button>
              <Button onClick={() => void run()} loading={importer.isPending}>
                {!importer.isPending && <FileUp aria-hidden="true" className="size-4" />}
                {t('contacts.import.submit')}
              </Button>
            </DialogFooter>
          </div>
        ) : (
          <div className="space-y-3" data-testid="import-report">
            <dl className="grid grid-cols-3 gap-2 text-center">
              {(['created', 'updated', 'failed'] as const).map((k) => (
                <div key={k} className="rounded-md border border-slate-200 px-2 py-2">
                  <dt className="text-xs text-slate-500">{t(`contacts.import.${k}`)}</dt>
                  <dd className={k === 'failed' && report.failed > 0 ? 'text-lg font-semibold text-red-700' : 'text-lg font-semibold text-slate-900'}>
                    {report[k]}
                  </dd>
                </div>
              ))}
            </dl>
            {report.errors.length > 0 && (
              <div className="max-h-64 overflow-y-auto rounded-md border border-slate-200">
                <table className="w-full text-left text-[13px]">
                  <caption className="sr-only">{t('contacts.import.errorsTitle')}</caption>
                  <thead className="sticky top-0 bg-slate-50 text-xs text-slate-600">
                    <tr>
                      <th scope="col" className="px-3 py-1.5 font-medium">{t('contacts.import.row')}</th>
                      <th scope="col" className="px-3 py-1.5 font-medium">{t('contacts.import.column')}</th>
                      <th scope="col" className="px-3 py-1.5 font-medium">{t('contacts.import.problem')}</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {report.errors.map((e, i) => (
                      <tr key={`${e.row}-${e.field}-${i}`}>
                        <td className="px-3 py-1.5 tabular-nums">{e.row}</td>
                        <td className="px-3 py-1.5 font-mono text-xs">{e.field}</td>
                        <td className="px-3 py-1.5 text-slate-700" title={t('contacts.import.detail', { message: e.message })}>
                          {isProblemCode(e.code) ? t(`contacts.import.problems.${e.code}`) : e.message}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <DialogFooter>
              <Button variant="secondary" onClick={reset}>
                {t('contacts.import.another')}
              </Button>
              <Button
                onClick={() => {
                  onOpenChange(false);
                  reset();
                }}
              >
                {t('common.close')}
              </Button>
            </DialogFooter>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
