import { Copy, ExternalLink, Plus, QrCode, Send, XCircle } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/Alert';
import { Badge, type Tone } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Skeleton } from '@/components/ui/Skeleton';
import { useRole } from '@/features/auth';
import { errorMessage } from '@/lib/errorMessage';
import { formatDate } from '@/lib/format';
import { useCancelCharge } from '../api/cancelCharge';
import type { Charge } from '../api/keys';
import { useContactCharges } from '../api/listCharges';
import { useSendCharge } from '../api/sendCharge';
import { chargeErrorMessage } from '../chargeErrors';
import { copyText, qrImageSrc } from '../copy';
import { formatMoney } from '../money';

// The form (zod + react-hook-form) loads when the dialog first opens.
const ChargeDialog = lazy(() => import('./ChargeDialog').then((m) => ({ default: m.ChargeDialog })));

const TONES: Record<string, Tone> = {
  PENDING: 'amber',
  OVERDUE: 'red',
  RECEIVED: 'green',
  CONFIRMED: 'green',
  RECEIVED_IN_CASH: 'green',
  REFUNDED: 'neutral',
  DELETED: 'neutral',
};
const KNOWN = new Set(Object.keys(TONES).concat(['REFUND_REQUESTED', 'REFUND_IN_PROGRESS', 'CHARGEBACK_REQUESTED', 'AWAITING_RISK_ANALYSIS']));
type KnownStatus = 'PENDING' | 'RECEIVED' | 'CONFIRMED' | 'OVERDUE' | 'REFUNDED' | 'RECEIVED_IN_CASH' | 'REFUND_REQUESTED' | 'REFUND_IN_PROGRESS' | 'CHARGEBACK_REQUESTED' | 'AWAITING_RISK_ANALYSIS' | 'DELETED';
const KNOWN_BILLING = new Set(['PIX', 'BOLETO', 'CREDIT_CARD', 'UNDEFINED']);

/** A charge's status as a coloured, translated badge. */
export function ChargeStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge tone={TONES[status] ?? 'sky'} className="charge-status">
      {KNOWN.has(status) ? t(`payments.status.${status as KnownStatus}`) : status}
    </Badge>
  );
}

export interface ChargesSectionProps {
  contactId: string;
  conversationId?: string;
  defaultCpfCnpj?: string;
}

/** The contact's charges in the contact panel, with "Gerar cobrança". */
export function ChargesSection({ contactId, conversationId, defaultCpfCnpj }: ChargesSectionProps) {
  const { t } = useTranslation();
  const charges = useContactCharges(contactId);
  const [creating, setCreating] = useState(false);
  const [canceling, setCanceling] = useState<Charge | null>(null);
  const cancel = useCancelCharge();
  const { i18n } = useTranslation();

  return (
    <section aria-labelledby={`charges-${contactId}`} className="space-y-2 p-4" data-testid="charges-section">
      <div className="flex items-center justify-between gap-2">
        <h3 id={`charges-${contactId}`} className="text-[13px] font-semibold text-slate-900">
          {t('payments.title')}
        </h3>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => {
            setCreating(true);
          }}
        >
          <Plus aria-hidden="true" className="size-3.5" />
          {t('payments.create')}
        </Button>
      </div>
      {charges.isError ? (
        <Alert>{errorMessage(charges.error, t)}</Alert>
      ) : charges.data === undefined ? (
        <Skeleton className="h-14 w-full" />
      ) : charges.data.asaasCharges.length === 0 ? (
        <p className="text-xs text-slate-500">{t('payments.empty')}</p>
      ) : (
        <ul className="space-y-2">
          {charges.data.asaasCharges.map((c) => (
            <ChargeItem
              key={c.id}
              charge={c}
              conversationId={conversationId}
              onCancel={() => {
                setCanceling(c);
              }}
            />
          ))}
        </ul>
      )}
      {creating && (
        <Suspense fallback={null}>
          <ChargeDialog
            open={creating}
            onOpenChange={setCreating}
            contactId={contactId}
            conversationId={conversationId}
            defaultCpfCnpj={defaultCpfCnpj}
          />
        </Suspense>
      )}
      <ConfirmDialog
        open={canceling !== null}
        onOpenChange={(open) => {
          if (!open) setCanceling(null);
        }}
        title={t('payments.cancelTitle')}
        description={t('payments.cancelBody', { value: canceling ? formatMoney(canceling.value, i18n.language) : '' })}
        confirmLabel={t('payments.cancelConfirm')}
        cancelLabel={t('payments.keep')}
        pending={cancel.isPending}
        onConfirm={() => {
          if (canceling === null) return;
          cancel.mutate(canceling.id, {
            onSuccess: () => {
              setCanceling(null);
              toast.success(t('payments.canceled'));
            },
            onError: (err) => {
              setCanceling(null);
              toast.error(chargeErrorMessage(err, t));
            },
          });
        }}
      />
    </section>
  );
}

function ChargeItem({ charge: c, conversationId, onCancel }: { charge: Charge; conversationId?: string; onCancel: () => void }) {
  // Cancelling a charge is for managers and admins (the server checks it too).
  const canCancel = useRole().atLeast('MANAGER');
  const { t, i18n } = useTranslation();
  const send = useSendCharge();
  const [qr, setQr] = useState(false);
  const qrSrc = qrImageSrc(c.pixQrImage);
  const value = formatMoney(c.value, i18n.language);
  const open = c.status === 'PENDING' || c.status === 'OVERDUE';
  const target = conversationId ?? c.conversationId ?? undefined;

  return (
    <li className="rounded-md border border-slate-200 px-3 py-2" data-testid="charge" data-status={c.status}>
      <div className="flex items-start gap-2">
        <div className="min-w-0 flex-1">
          <p className="text-sm font-semibold tabular-nums text-slate-900">{value}</p>
          <p className="truncate text-xs text-slate-500">
            {KNOWN_BILLING.has(c.billingType) ? t(`payments.billing.${c.billingType as 'PIX'}`) : c.billingType} ·{' '}
            {c.paidAt ? t('payments.paidAt', { date: formatDate(c.paidAt, i18n.language) }) : t('payments.due', { date: formatDate(`${c.dueDate}T12:00:00`, i18n.language) })}
          </p>
          {c.description && <p className="mt-0.5 line-clamp-2 text-xs text-slate-700">{c.description}</p>}
        </div>
        <ChargeStatusBadge status={c.status} />
      </div>
      {open && (
        <div className="mt-2 flex flex-wrap gap-1">
          {c.pixPayload && (
            <Button
              size="sm"
              variant="secondary"
              onClick={() => {
                void copyText(c.pixPayload ?? '').then((ok) => {
                  if (ok) toast.success(t('payments.pixCopied'));
                  else toast.error(t('channelSetup.copyFailed'));
                });
              }}
            >
              <Copy aria-hidden="true" className="size-3.5" />
              {t('payments.copyPix')}
            </Button>
          )}
          {qrSrc && (
            <Button
              size="icon"
              variant="ghost"
              aria-label={qr ? t('payments.hideQr') : t('payments.showQr')}
              title={qr ? t('payments.hideQr') : t('payments.showQr')}
              aria-expanded={qr}
              onClick={() => {
                setQr(!qr);
              }}
            >
              <QrCode aria-hidden="true" className="size-4" />
            </Button>
          )}
          {target && (
            <Button
              size="icon"
              variant="ghost"
              aria-label={t('payments.send')}
              title={t('payments.send')}
              loading={send.isPending}
              onClick={() => {
                send.mutate(
                  { id: c.id, conversationId: target },
                  {
                    onSuccess: () => toast.success(t('payments.sent')),
                    onError: (err) => toast.error(chargeErrorMessage(err, t)),
                  },
                );
              }}
            >
              {!send.isPending && <Send aria-hidden="true" className="size-4" />}
            </Button>
          )}
          {c.invoiceUrl && (
            <a
              href={c.invoiceUrl}
              target="_blank"
              rel="noreferrer"
              aria-label={t('payments.openInvoice')}
              title={t('payments.openInvoice')}
              className="inline-flex size-8 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <ExternalLink aria-hidden="true" className="size-4" />
            </a>
          )}
          {canCancel && (
            <Button
              size="icon"
              variant="ghost"
              className="ml-auto text-slate-500 hover:text-red-700"
              aria-label={t('payments.cancel')}
              title={t('payments.cancel')}
              onClick={onCancel}
            >
              <XCircle aria-hidden="true" className="size-4" />
            </Button>
          )}
        </div>
      )}
      {open && qr && qrSrc && <img src={qrSrc} alt={t('payments.qrAlt', { value })} className="mx-auto mt-2 size-40 rounded border border-slate-200" />}
    </li>
  );
}
