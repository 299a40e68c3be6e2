import { ArrowLeft } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { paths } from '@/paths';
import { ContactPanel } from './ContactPanel';

/** `/contacts/:contactId`: the same panel the inbox shows, as a page. */
export function ContactDetailPage() {
  const { t } = useTranslation();
  const { contactId } = useParams();
  return (
    <div className="mx-auto max-w-2xl space-y-3 p-3 sm:p-6">
      <Link
        to={paths.contacts}
        className="inline-flex items-center gap-1.5 rounded text-[13px] font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        <ArrowLeft aria-hidden="true" className="size-4" />
        {t('contacts.backToList')}
      </Link>
      <div className="rounded-lg border border-slate-200 bg-white">
        {contactId !== undefined && <ContactPanel key={contactId} contactId={contactId} />}
      </div>
    </div>
  );
}
