/** Source locale: every UI string lives here first; `en` must match its shape. */
export const ptBR = {
  app: {
    name: 'Atende',
    tagline: 'Todas as conversas dos seus clientes em um só lugar.',
  },
  common: {
    loading: 'Carregando…',
    retry: 'Tentar novamente',
    notifications: 'Notificações',
    language: 'Idioma',
    languages: {
      'pt-BR': 'Português (Brasil)',
      en: 'English',
    },
  },
  auth: {
    login: {
      title: 'Entrar no Atende',
      subtitle: 'Use o endereço do seu espaço de trabalho e suas credenciais.',
      workspace: 'Espaço de trabalho',
      workspacePlaceholder: 'minha-empresa',
      workspaceHint: 'O identificador da sua empresa no Atende.',
      email: 'E-mail',
      emailPlaceholder: 'voce@empresa.com.br',
      password: 'Senha',
      showPassword: 'Mostrar senha',
      hidePassword: 'Ocultar senha',
      submit: 'Entrar',
      submitting: 'Entrando…',
    },
    validation: {
      required: 'Campo obrigatório.',
      email: 'Informe um e-mail válido.',
      serverRejected: 'Valor não aceito pelo servidor.',
    },
    errors: {
      invalid_credentials: 'Espaço de trabalho, e-mail ou senha incorretos.',
      rate_limited: 'Muitas tentativas. Aguarde um pouco e tente novamente.',
      rate_limited_seconds_one: 'Muitas tentativas. Tente novamente em {{count}} segundo.',
      rate_limited_seconds_other: 'Muitas tentativas. Tente novamente em {{count}} segundos.',
      rate_limited_minutes_one: 'Muitas tentativas. Tente novamente em {{count}} minuto.',
      rate_limited_minutes_other: 'Muitas tentativas. Tente novamente em {{count}} minutos.',
      tenant_suspended: 'Este espaço de trabalho está suspenso. Fale com o administrador da sua empresa.',
      validation_failed: 'Verifique os campos destacados e tente novamente.',
      network_error: 'Sem conexão com o servidor. Verifique sua internet e tente novamente.',
      generic: 'Não foi possível entrar agora. Tente novamente em instantes.',
    },
    logout: 'Sair',
    loggingOut: 'Saindo…',
    logoutFailed: 'Não foi possível sair. Tente novamente.',
    sessionError: 'Não foi possível carregar sua sessão.',
  },
  nav: {
    main: 'Navegação principal',
    inbox: 'Caixa de entrada',
    contacts: 'Contatos',
    dashboard: 'Painel',
    settings: 'Configurações',
    openMenu: 'Abrir menu',
    closeMenu: 'Fechar menu',
  },
  shell: {
    skipToContent: 'Pular para o conteúdo',
    workspace: 'Espaço de trabalho',
    signedInAs: 'Conectado como {{name}}',
    comingSoonTitle: 'Em breve',
    comingSoonBody: 'A área “{{section}}” está sendo construída e chega nas próximas versões.',
  },
  notFound: {
    title: 'Página não encontrada',
    body: 'O endereço que você abriu não existe.',
    back: 'Voltar ao início',
  },
};

export type Messages = typeof ptBR;
