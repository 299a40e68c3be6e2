import { useEffect } from 'react';
import { create } from 'zustand';

interface TitleState {
  /** "Caixa de entrada · Atende". */
  base: string;
  /** Conversations with unread customer messages: shown as "(3) …" in the tab. */
  unread: number;
}

export const usePageTitleStore = create<TitleState>()(() => ({ base: document.title, unread: 0 }));

function apply({ base, unread }: TitleState) {
  document.title = unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${base}` : base;
}
usePageTitleStore.subscribe(apply);

/** Sets the tab title for a page, keeping the unread count in front of it. */
export function usePageTitle(title: string) {
  useEffect(() => {
    usePageTitleStore.setState({ base: title });
  }, [title]);
}

export function setUnreadInTitle(unread: number) {
  usePageTitleStore.setState({ unread });
}
