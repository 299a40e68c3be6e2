import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/Dialog';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { applyFieldErrors } from '@/lib/api';
import { fieldErrorText, msg } from '@/lib/forms';
import { useCreateCharge } from '../api/createCharge';
import { BILLING_TYPES, type BillingType, type Charge } from '../api/keys';
import { chargeErrorMessage } from '../chargeErrors';
import { isoDay, isValidCpfCnpj, parseMoney } from '../money';

const schema = z.object({
  value: z.string().refine((s) => parseMoney(s) !== null, msg('payments.invalid.value')),
  dueDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, msg('payments.invalid.dueDate'))
    .refine((d) => d >= isoDay(0), msg('payments.invalid.dueDate')),
  billingType: z.enum(BILLING_TYPES as [BillingType, ...BillingType[]]),
  description: z
    .string()
    .trim()
    .max(500, msg('forms.maxLength', { count: 500 })),
  cpfCnpj: z
    .string()
    .trim()
    .refine((s) => s === '' || isValidCpfCnpj(s), msg('payments.invalid.cpfCnpj')),
});
type Values = z.infer<typeof schema>;
const FIELDS = ['value', 'dueDate', 'billingType', 'description', 'cpfCnpj'] as const;

export interface ChargeDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contactId: string;
  conversationId?: string;
  /** The contact's `cpfCnpj` custom attribute, when known. */
  defaultCpfCnpj?: string;
  onCreated?: (charge: Charge) => void;
}

/** "Gerar cobrança": amount, due date, method, description and the payer's CPF/CNPJ. */
export function ChargeDialog({ open, onOpenChange, ...rest }: ChargeDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {open && (
        <DialogContent title={t('payments.create')} description={t('payments.createDescription')} closeLabel={t('common.close')}>
          <ChargeForm
            {...rest}
            onDone={(charge) => {
              onOpenChange(false);
              rest.onCreated?.(charge);
            }}
          />
        </DialogContent>
      )}
    </Dialog>
  );
}

function ChargeForm({
  contactId,
  conversationId,
  defaultCpfCnpj,
  onDone,
}: Omit<ChargeDialogProps, 'open' | 'onOpenChange' | 'onCreated'> & { onDone: (charge: Charge) => void }) {
  const { t } = useTranslation();
  const create = useCreateCharge();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { value: '', dueDate: isoDay(3), billingType: 'PIX', description: '', cpfCnpj: defaultCpfCnpj ?? '' },
  });

  const onSubmit = async (values: Values) => {
    setFormError(null);
    const value = parseMoney(values.value);
    if (value === null) return;
    try {
      const charge = await create.mutateAsync({
        contactId,
        conversationId: conversationId ?? null,
        value,
        dueDate: values.dueDate,
        billingType: values.billingType,
        description: values.description || null,
        cpfCnpj: values.cpfCnpj.replace(/\D/g, '') || null,
      });
      toast.success(t('payments.created'));
      onDone(charge);
    } catch (err) {
      if (applyFieldErrors(err, FIELDS, setError).length > 0) return;
      setFormError(chargeErrorMessage(err, t));
    }
  };

  return (
    <form noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)} className="space-y-3.5" aria-label={t('payments.create')}>
      {formError !== null && <Alert>{formError}</Alert>}
      <div className="grid gap-3.5 sm:grid-cols-2">
        <Field label={t('payments.fields.value')} hint={t('payments.fields.valueHint')} error={fieldErrorText(errors.value, t)}>
          {({ invalid, ...c }) => (
            <Input {...c} {...register('value')} invalid={invalid} inputMode="decimal" autoComplete="off" placeholder="0,00" />
          )}
        </Field>
        <Field label={t('payments.fields.dueDate')} error={fieldErrorText(errors.dueDate, t)}>
          {({ invalid, ...c }) => <Input {...c} {...register('dueDate')} invalid={invalid} type="date" min={isoDay(0)} />}
        </Field>
      </div>
      <Field label={t('payments.fields.billingType')} error={fieldErrorText(errors.billingType, t)}>
        {({ invalid, ...c }) => (
          <Select {...c} {...register('billingType')} invalid={invalid}>
            {BILLING_TYPES.map((b) => (
              <option key={b} value={b}>
                {t(`payments.billing.${b}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        label={
          <>
            {t('payments.fields.cpfCnpj')} <span className="font-normal text-slate-500">({t('common.optional')})</span>
          </>
        }
        hint={t('payments.fields.cpfCnpjHint')}
        error={fieldErrorText(errors.cpfCnpj, t)}
      >
        {({ invalid, ...c }) => (
          <Input {...c} {...register('cpfCnpj')} invalid={invalid} inputMode="numeric" autoComplete="off" placeholder="000.000.000-00" />
        )}
      </Field>
      <Field
        label={
          <>
            {t('payments.fields.description')} <span className="font-normal text-slate-500">({t('common.optional')})</span>
          </>
        }
        error={fieldErrorText(errors.description, t)}
      >
        {({ invalid, ...c }) => (
          <textarea
            {...c}
            {...register('description')}
            rows={2}
            className={
              'block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus-visible:outline-2 focus-visible:outline-offset-1 ' +
              (invalid ? 'border-red-600 focus-visible:outline-red-600' : 'border-slate-300 focus-visible:outline-brand-600')
            }
          />
        )}
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">{t('common.cancel')}</Button>
        </DialogClose>
        <Button type="submit" loading={isSubmitting}>
          {isSubmitting ? t('common.saving') : t('payments.create')}
        </Button>
      </DialogFooter>
    </form>
  );
}
